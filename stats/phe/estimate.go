package phe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Interval is one confidence interval. A nil limit is R's NA. A limit that R
// gives as Inf (an upper limit at 100% confidence, say) is +Inf in Go and
// null in JSON, which has no infinity.
type Interval struct {
	Confidence float64  `json:"confidence"`
	Lower      *float64 `json:"lower"`
	Upper      *float64 `json:"upper"`
}

// MarshalJSON writes non-finite limits as null.
func (iv Interval) MarshalJSON() ([]byte, error) {
	type plain struct {
		Confidence float64  `json:"confidence"`
		Lower      *float64 `json:"lower"`
		Upper      *float64 `json:"upper"`
	}
	return json.Marshal(plain{iv.Confidence, finite(iv.Lower), finite(iv.Upper)})
}

// Estimate is a statistic with its confidence intervals. Value nil is NA.
// Method and Statistic are the labels the package writes in its method and
// statistic columns; Method is empty where the package gives NA (a rate whose
// numerator is missing) or requests no intervals.
type Estimate struct {
	Value     *float64   `json:"value"`
	Intervals []Interval `json:"intervals"`
	Method    string     `json:"method"`
	Statistic string     `json:"statistic"`
}

// Interval returns the interval at the given confidence (as a fraction) and
// whether there is one.
func (e Estimate) Interval(confidence float64) (Interval, bool) {
	for _, iv := range e.Intervals {
		if iv.Confidence == confidence {
			return iv, true
		}
	}
	return Interval{}, false
}

// num turns a computed float into the package's NA convention: NaN is NA,
// everything else (including ±Inf) is kept.
func num(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

// numFinite is num for values that JSON must carry: non-finite is nil.
func numFinite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func finite(p *float64) *float64 {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) {
		return nil
	}
	return p
}

// val reads a *float64 back as NaN-for-NA.
func val(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// ErrInvalid is wrapped by every argument error, whose text is the
// package's own stop() message.
var ErrInvalid = errors.New("invalid argument")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// confidencePair validates confidence as phe_proportion, phe_rate, phe_mean,
// calculate_dsr and calculate_ISRatio/ISRate do: at most two levels, two
// only as exactly (0.95, 0.998), one level in [0.9, 1] or [90, 100] (a
// percentage is scaled down). nil means the default 0.95. A single NaN (R's
// NA) means no intervals, which only phe_proportion accepts (allowNA).
// The message for a bad single level is the calling function's own.
func confidencePair(conf []float64, allowNA bool, rangeMsg string) ([]float64, error) {
	switch {
	case conf == nil:
		return []float64{0.95}, nil
	case len(conf) == 0:
		return nil, invalid("confidence must be numeric")
	case len(conf) > 2:
		return nil, invalid("a maximum of two confidence levels can be provided")
	case len(conf) == 2:
		if !(conf[0] == 0.95 && conf[1] == 0.998) {
			return nil, invalid("two confidence levels can only be produced if they are specified as 0.95 and 0.998")
		}
		return []float64{0.95, 0.998}, nil
	}
	c := conf[0]
	if math.IsNaN(c) {
		if allowNA {
			return []float64{}, nil
		}
		return nil, invalid("missing value where TRUE/FALSE needed (confidence is NA)")
	}
	if c < 0.9 || (c > 1 && c < 90) || c > 100 {
		return nil, invalid("%s", rangeMsg)
	}
	if c >= 90 {
		c /= 100
	}
	return []float64{c}, nil
}

const rangeMsg = "confidence level must be between 90 and 100 or between 0.9 and 1"

// confidenceMany validates a vector of levels as phe_life_expectancy and
// phe_sii do: any number of levels, all fractions or all percentages.
func confidenceMany(conf []float64) ([]float64, error) {
	if conf == nil {
		return []float64{0.95}, nil
	}
	if len(conf) == 0 {
		return nil, invalid("confidence must be numeric")
	}
	anyOver1, anyUnder90 := false, false
	for _, c := range conf {
		if math.IsNaN(c) {
			return nil, invalid("missing value where TRUE/FALSE needed (confidence is NA)")
		}
		if c < 0.9 || c > 100 {
			return nil, invalid("all confidence levels must be between 90 and 100 or between 0.9 and 1")
		}
		anyOver1 = anyOver1 || c > 1
		anyUnder90 = anyUnder90 || c < 90
	}
	if anyOver1 && anyUnder90 {
		return nil, invalid("all confidence levels must be between 90 and 100 or between 0.9 and 1")
	}
	out := make([]float64, len(conf))
	for i, c := range conf {
		if c >= 90 {
			c /= 100
		}
		out[i] = c
	}
	return out, nil
}

// zFor is the two-sided normal multiplier the package uses everywhere:
// qnorm(confidence + (1 - confidence) / 2).
func zFor(conf float64) float64 { return qnorm(conf + (1-conf)/2) }

// rNumber formats a double as R's as.character / paste do: up to 15
// significant digits, fixed notation unless scientific is narrower
// (so 1e5 prints as "1e+05" but 95000 as "95000").
func rNumber(x float64) string {
	if math.IsNaN(x) {
		return "NA"
	}
	if math.IsInf(x, 1) {
		return "Inf"
	}
	if math.IsInf(x, -1) {
		return "-Inf"
	}
	if x == 0 {
		return "0"
	}
	sign := ""
	if x < 0 {
		sign = "-"
		x = -x
	}
	e := strconv.FormatFloat(x, 'e', 14, 64) // d.dddddddddddddde±XX
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	digits := strings.TrimRight(strings.Replace(mant, ".", "", 1), "0")
	m := len(digits)
	sciMant := digits[:1]
	if m > 1 {
		sciMant += "." + digits[1:]
	}
	expDigits := 2
	if exp >= 100 || exp <= -100 {
		expDigits = 3
	}
	sciWidth := len(sciMant) + 2 + expDigits
	var fixed string
	if exp >= 0 {
		if m <= exp+1 {
			fixed = digits + strings.Repeat("0", exp+1-m)
		} else {
			fixed = digits[:exp+1] + "." + digits[exp+1:]
		}
	} else {
		fixed = "0." + strings.Repeat("0", -exp-1) + digits
	}
	if len(fixed) <= sciWidth {
		return sign + fixed
	}
	es := strconv.Itoa(abs(exp))
	for len(es) < expDigits {
		es = "0" + es
	}
	esign := "+"
	if exp < 0 {
		esign = "-"
	}
	return sign + sciMant + "e" + esign + es
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// rFormatFixed formats as R's format(x, scientific = FALSE): fixed notation
// with 7 significant digits, trailing zeros dropped.
func rFormatFixed(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return rNumber(x)
	}
	if x == 0 {
		return "0"
	}
	mag := int(math.Floor(math.Log10(math.Abs(x))))
	dec := 6 - mag
	if dec < 0 {
		dec = 0
	}
	s := strconv.FormatFloat(x, 'f', dec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Vector is a list of numbers whose JSON form may hold null for a missing
// value (R's NA); null decodes as NaN.
type Vector []float64

// UnmarshalJSON accepts an array of numbers and nulls, a single number, or
// null.
func (v *Vector) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*v = Vector{math.NaN()}
		return nil
	}
	if len(b) > 0 && b[0] != '[' {
		var f float64
		if err := json.Unmarshal(b, &f); err != nil {
			return err
		}
		*v = Vector{f}
		return nil
	}
	var raw []*float64
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(Vector, len(raw))
	for i, p := range raw {
		out[i] = val(p)
	}
	*v = out
	return nil
}

// Label is an age band or quantile name given in JSON as a string or a
// number.
type Label string

// UnmarshalJSON accepts a string or a number.
func (l *Label) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = Label(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*l = Label(n.String())
	return nil
}

// sumNA is R's sum(x): NaN if any element is NaN.
func sumNA(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// sumRm is R's sum(x, na.rm = TRUE).
func sumRm(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		if !math.IsNaN(x) {
			s += x
		}
	}
	return s
}

// naZero is the package's na.zero.
func naZero(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}
