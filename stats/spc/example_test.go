package spc_test

import (
	"fmt"

	"github.com/nhs-accord/accord/stats/spc"
)

// Fifteen months of a percentage where higher is better; the last seven
// months sit above the mean, a shift. NHSRplotthedots gives the same numbers
// and labels for this series.
func ExampleCompute() {
	values := []float64{72, 74, 71, 73, 72, 70, 73, 71, 75, 76, 75, 77, 76, 78, 77}
	target := 80.0
	res, err := spc.Compute(values, spc.Options{ImprovementDirection: spc.Increase, Target: &target})
	if err != nil {
		fmt.Println(err)
		return
	}
	g := res.Groups[0]
	fmt.Printf("mean %.2f, limits %.2f to %.2f\n", g.Mean, g.LPL, g.UPL)
	fmt.Println(res.Points[14].SpecialCauseType, "->", res.Points[14].PointType)
	fmt.Println(res.VariationIcon, res.AssuranceType, res.AssuranceIcon)
	// Output:
	// mean 74.00, limits 68.87 to 79.13
	// 7 Points Above CL -> special_cause_improvement
	// improvement_high consistent_fail fail
}
