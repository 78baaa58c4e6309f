package charts

import "strings"

// The Making Data Count icons, drawn small after NHS England's originals:
// a ring in the icon's colour; for variation, a letter (H or L) over a
// trail of points whose last two take the colour, or an arrow for neutral
// special cause; for assurance, a letter (P, F or ?) over a dashed target
// line and a grey process line. Each carries its meaning in words in its
// own <title>.

// iconSize is the width and height of one icon in viewBox units.
const iconSize = 44

// VariationText is the Making Data Count meaning of a variation icon, as
// spc.Result.VariationIcon names it; "" for an unknown name.
func VariationText(icon string) string {
	switch icon {
	case "common_cause":
		return "Common cause variation – no significant change"
	case "improvement_high":
		return "Special cause variation – improvement (higher)"
	case "improvement_low":
		return "Special cause variation – improvement (lower)"
	case "concern_high":
		return "Special cause variation – concern (higher)"
	case "concern_low":
		return "Special cause variation – concern (lower)"
	case "neutral_high":
		return "Special cause variation – neither improvement nor concern (higher)"
	case "neutral_low":
		return "Special cause variation – neither improvement nor concern (lower)"
	}
	return ""
}

// AssuranceText is the Making Data Count meaning of an assurance icon, as
// spc.Result.AssuranceIcon names it; "" for none.
func AssuranceText(icon string) string {
	switch icon {
	case "pass":
		return "The system is expected to consistently pass the target"
	case "fail":
		return "The system is expected to consistently fail the target"
	case "inconsistent":
		return "The system may achieve or fail the target subject to random variation"
	}
	return ""
}

// PointTypeText names a point's type (spc.Point.PointType) in words.
func PointTypeText(pointType string) string {
	switch pointType {
	case "common_cause":
		return "Common cause"
	case "special_cause_improvement":
		return "Special cause – improvement"
	case "special_cause_concern":
		return "Special cause – concern"
	case "special_cause_neutral_high":
		return "Special cause – higher, neither improvement nor concern"
	case "special_cause_neutral_low":
		return "Special cause – lower, neither improvement nor concern"
	}
	return pointType
}

// variationColour is the colour of a variation icon or point type.
func variationColour(name string) string {
	switch {
	case strings.Contains(name, "improvement"):
		return colourImprovement
	case strings.Contains(name, "concern"):
		return colourConcern
	case strings.Contains(name, "neutral"):
		return colourNeutral
	}
	return colourCommonCause
}

// ring opens an icon: a group at (x, y) with its title and a white disc
// ringed in colour.
func (c *canvas) ring(x, y float64, colour, title string) {
	c.printf(`<g class="accord-chart__icon" transform="translate(%s %s)"><title>%s</title>`, num(x), num(y), esc(title))
	c.printf(`<circle cx="22" cy="22" r="19.5" fill="#ffffff" stroke="%s" stroke-width="3"/>`, colour)
}

// iconLetter writes an icon's letter in its upper half.
func (c *canvas) iconLetter(letter, colour string) {
	c.printf(`<text x="22" y="20" text-anchor="middle" font-size="14" font-weight="bold" fill="%s">%s</text>`, colour, esc(letter))
}

// variationIcon draws the variation icon named as spc names it.
func (c *canvas) variationIcon(icon string, x, y float64) {
	colour := variationColour(icon)
	c.ring(x, y, colour, "Variation: "+VariationText(icon))
	grey := colourCommonCause
	switch icon {
	case "improvement_high", "improvement_low", "concern_high", "concern_low":
		letter, ys := "H", []float64{33, 31, 33, 28, 25}
		if strings.HasSuffix(icon, "_low") {
			letter, ys = "L", []float64{25, 27, 25, 30, 33}
		}
		c.iconLetter(letter, colour)
		c.iconTrail(ys, func(i int) string {
			if i >= 3 {
				return colour
			}
			return grey
		})
	case "neutral_high":
		c.printf(`<path d="M13 31L26 18L22.5 14.5H31V23L27.5 19.5L14.5 32.5Z" fill="%s"/>`, colour)
	case "neutral_low":
		c.printf(`<path d="M13 13L26 26L22.5 29.5H31V21L27.5 24.5L14.5 11.5Z" fill="%s"/>`, colour)
	default: // common cause: points scattered about a level, all grey
		c.iconTrail([]float64{22, 27, 17, 25, 20}, func(int) string { return grey })
	}
	c.raw(`</g>`)
}

// iconTrail draws five points joined by a line across an icon.
func (c *canvas) iconTrail(ys []float64, colour func(i int) string) {
	xs := []float64{10, 16, 22, 28, 34}
	c.polyline(xs, ys, colourCommonCause, 1.2, "")
	for i := range xs {
		c.printf(`<circle cx="%s" cy="%s" r="2.4" fill="%s"/>`, num(xs[i]), num(ys[i]), colour(i))
	}
}

// assuranceIcon draws the assurance icon named as spc names it.
func (c *canvas) assuranceIcon(icon string, x, y float64) {
	var colour, letter string
	var target float64 // where the dashed target line runs
	switch icon {
	case "pass":
		colour, letter, target = colourImprovement, "P", 35
	case "fail":
		colour, letter, target = colourConcern, "F", 25
	default:
		colour, letter, target = colourCommonCause, "?", 30
	}
	c.ring(x, y, colour, "Assurance: "+AssuranceText(icon))
	c.iconLetter(letter, colour)
	c.line(5, target, 39, target, colour, 1.6, ` stroke-dasharray="3 1.5"`)
	c.printf(`<path d="M9 31C12 27 15 27 18 30S22 32 25 29S30 28 35 30" fill="none" stroke="%s" stroke-width="1.6"/>`, colourCommonCause)
	c.raw(`</g>`)
}
