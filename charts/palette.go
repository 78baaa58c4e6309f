package charts

// The colours the charts draw with. WCAG 2.2 AA (1.4.11) asks 3:1 against
// the background for the parts of a graphic needed to understand it; every
// chart draws on white, and each ratio below is against #ffffff. Colour is
// never the only cue: markers differ in shape too, each chart has a legend,
// and the page gives the data as a table.
const (
	colourText      = "#212b32" // NHS.UK text: 14.4:1
	colourSecondary = "#4c6272" // NHS.UK secondary text, axes and limits: 6.4:1
	colourGrid      = "#d8dde0" // NHS.UK border grey: grid lines only, which carry no meaning of their own
	colourStripe    = "#f0f4f5" // NHS.UK page grey: alternate rows of the caterpillar, decoration only
	colourBenchmark = "#003087" // NHS dark blue: the benchmark line, 11.9:1

	// Making Data Count. The hues are those of NHS England's Making Data
	// Count icons as NHSRplotthedots ships them (inst/icons: improvement
	// #0072C6, concern #FF6600, neutral #8000C0, common cause #BFBFBF ring
	// with #7F7F7F data). Two fail 3:1 on white and are adjusted:
	// the common-cause ring grey #BFBFBF (1.8:1) is replaced by the icons'
	// own data grey #7F7F7F, and the concern orange #FF6600 (2.9:1) is
	// darkened, keeping its hue, to #E35D00.
	colourCommonCause = "#7f7f7f" // 4.0:1
	colourImprovement = "#0072c6" // 5.0:1
	colourConcern     = "#e35d00" // 3.6:1 (was #FF6600, 2.9:1)
	colourNeutral     = "#8000c0" // 7.8:1
	colourValueLine   = "#7f7f7f" // the line joining the points, as NHSRplotthedots draws it
	colourMean        = colourText
	colourLimit       = colourSecondary
	colourTarget      = "#de1b1b" // NHSRplotthedots' target red: 4.9:1

	// Comparison with a benchmark. Fingertips' colours (better green,
	// similar amber #FFC000, worse red, higher/lower blues) in NHS tones
	// dark enough for 3:1: amber becomes a deep amber and light blue a
	// mid blue.
	colourBetter      = "#007f3b" // NHS green: 5.1:1
	colourSimilar     = "#b86e00" // deep amber: 4.0:1 (Fingertips' #FFC000 is 1.6:1)
	colourWorse       = "#d5281b" // NHS red: 5.1:1
	colourHigher      = "#003087" // NHS dark blue: 11.9:1
	colourLower       = "#2d8fd5" // mid blue: 3.5:1 (Fingertips' light blue fails)
	colourNotCompared = colourSecondary

	// Funnel plot: where a point lies against the control limits. Blues, as
	// lying outside the limits is neither better nor worse by itself.
	colourWithin    = "#768692" // NHS mid grey: 3.8:1
	colourOutside95 = "#1d7fc4" // 4.3:1
	colourOutside99 = "#003087" // NHS dark blue: 11.9:1
)
