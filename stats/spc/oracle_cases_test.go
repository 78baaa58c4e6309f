package spc

// The cases below were computed by NHSRplotthedots itself: its computation
// functions as shipped in 0.2.x (ptd_spc_standard, ptd_calculate_point_type
// and its helpers, ptd_add_short_group_warnings, ptd_calculate_assurance_type
// and the icon mapping of ptd_get_icons) run under R 4.2.2 with dplyr, each
// number printed with 17 significant digits. The random inputs are R's own
// (set.seed(123); rnorm(...)), as in the package's tests. Each case names
// the package test or issue it reproduces; "edge" and "stress" cases are ours,
// run through the same R code.

var oracleCases = []oracleCase{
	{
		name: "ptd_spc_standard r1",
		// tests/testthat/test-ptd_spc_standard.R "it returns expected values" r1 (_snaps/ptd_spc_standard.md); test-ptd_spc.R "it outputs expected content" s1
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, 0.40077145059405217, 0.11068271594511971, -0.55584113475407493, 1.7869131368030782, 0.49785047822923939, -1.9666171566296382, 0.70135590156368555, -0.47279140772793404},
		dir:    "increase",
		groups: []wantGroup{
			{0, 20, 0.1416238024745986, -3.0113795957080995, 3.2946272006572963, -1.9603784629805332, 2.2436260679297302, 20, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "ptd_spc_standard r2 outlier screened",
		// tests/testthat/test-ptd_spc_standard.R "it returns expected values" r2 (data$y[15] <- 10, screen_outliers = TRUE)
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, 0.40077145059405217, 0.11068271594511971, 10, 1.7869131368030782, 0.49785047822923939, -1.9666171566296382, 0.70135590156368555, -0.47279140772793404},
		dir:    "increase",
		groups: []wantGroup{
			{0, 20, 0.6694158592123024, -2.3836655972741312, 3.7224973156987362, -1.3659717784453198, 2.7048034968699248, 19, 1, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Above UCL", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "special_cause_improvement", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "ptd_spc_standard r3 outlier not screened",
		// tests/testthat/test-ptd_spc_standard.R "it returns expected values" r3 (screen_outliers = FALSE)
		values:   []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, 0.40077145059405217, 0.11068271594511971, 10, 1.7869131368030782, 0.49785047822923939, -1.9666171566296382, 0.70135590156368555, -0.47279140772793404},
		dir:      "increase",
		noScreen: true,
		groups: []wantGroup{
			{0, 20, 0.6694158592123024, -4.5966251824697597, 5.9354569008943638, -2.8412781685757387, 4.1801098870003432, 19, 1, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Above UCL", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "special_cause_improvement", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "ptd_spc_standard fix after 12",
		// tests/testthat/test-ptd_spc_standard.R "setting fix_after_n_points changes the calculations"
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, 0.40077145059405217, 0.11068271594511971, -0.55584113475407493, 1.7869131368030782, 0.49785047822923939, -1.9666171566296382, 0.70135590156368555, -0.47279140772793404},
		fix:    12,
		dir:    "increase",
		groups: []wantGroup{
			{0, 20, 0.19417933878903704, -2.6073998147977493, 2.9957584923758231, -1.6735400969354872, 2.0618987745135611, 20, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "ptd_spc_standard rebase at 11th point",
		// tests/testthat/test-ptd_spc_standard.R "it sets the rebase_group field"; the groups equal the facets of test-ptd_spc.R "it outputs expected content" s3
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, 0.40077145059405217, 0.11068271594511971, -0.55584113475407493, 1.7869131368030782, 0.49785047822923939, -1.9666171566296382, 0.70135590156368555, -0.47279140772793404},
		rebase: []int{10},
		dir:    "increase",
		groups: []wantGroup{
			{0, 10, 0.074625644097161895, -2.6005854077454389, 2.7498366959397629, -1.7088483904645722, 1.8580996786588961, 10, 0, 0, "common_cause", true},
			{10, 10, 0.20862196085203533, -3.2790054477294084, 3.6962493694334788, -2.1164629782022604, 2.5337068999063308, 10, 0, 0, "common_cause", true},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "summary with a target",
		// tests/testthat/test-ptd_spc.R "summary with a target" (_snaps/ptd_spc.md)
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, 0.40077145059405217, 0.11068271594511971, -0.55584113475407493, 1.7869131368030782, 0.49785047822923939, -1.9666171566296382, 0.70135590156368555, -0.47279140772793404},
		dir:    "increase",
		target: ptr[float64](0.5),
		groups: []wantGroup{
			{0, 20, 0.1416238024745986, -3.0113795957080995, 3.2946272006572963, -1.9603784629805332, 2.2436260679297302, 20, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "inconsistent", variationIcon: "common_cause", assuranceIcon: "inconsistent",
	},
	{
		name: "2 of 3 on opposite sides of the mean",
		// tests/testthat/test-ptd_spc_standard.R "it only reports special cause for 2of3 points close to limits when they are on the same side of the mean"
		values: []float64{1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 5.5, -5.5},
		dir:    "increase",
		groups: []wantGroup{
			{0, 16, 0, -6.1750000000000007, 6.1750000000000007, -4.1166666666666671, 4.1166666666666671, 16, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "icons s1",
		// tests/testthat/test-geom_ptd_icon.R "ptd_get_icons transforms the data correctly" s1
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, 0.40077145059405217, 0.11068271594511971, -0.55584113475407493, 1.7869131368030782, 0.49785047822923939, -1.9666171566296382, 0.70135590156368555, -0.47279140772793404, -1.0678237059868452, -0.21797491465829513, -1.0260044483072397, -0.72889122929114025},
		dir:    "increase",
		groups: []wantGroup{
			{0, 24, -0.0086757603646478391, -2.9082465423586883, 2.8908950216293925, -1.9417229483606748, 1.924371427631379, 24, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "icons s2",
		// tests/testthat/test-geom_ptd_icon.R "ptd_get_icons transforms the data correctly" s2
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, 0.40077145059405217, 0.11068271594511971, -0.55584113475407493, 1.7869131368030782, 0.49785047822923939, -1.9666171566296382, 0.70135590156368555, -0.47279140772793404, -1.0678237059868452, -0.21797491465829513, -1.0260044483072397, -0.72889122929114025},
		dir:    "increase",
		target: ptr[float64](0.5),
		groups: []wantGroup{
			{0, 24, -0.0086757603646478391, -2.9082465423586883, 2.8908950216293925, -1.9417229483606748, 1.924371427631379, 24, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "inconsistent", variationIcon: "common_cause", assuranceIcon: "inconsistent",
	},
	{
		name: "icons s3 facet 0",
		// tests/testthat/test-geom_ptd_icon.R "ptd_get_icons transforms the data correctly" s3/s4, facet 0
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381},
		dir:    "increase",
		target: ptr[float64](0.5),
		groups: []wantGroup{
			{0, 12, 0.19417933878903704, -2.6073998147977493, 2.9957584923758231, -1.6735400969354872, 2.0618987745135611, 12, 0, 0, "common_cause", true},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "inconsistent", variationIcon: "common_cause", assuranceIcon: "inconsistent",
	},
	{
		name: "icons s3 facet 1",
		// tests/testthat/test-geom_ptd_icon.R "ptd_get_icons transforms the data correctly" s3/s4, facet 1
		values: []float64{0.40077145059405217, 0.11068271594511971, -0.55584113475407493, 1.7869131368030782, 0.49785047822923939, -1.9666171566296382, 0.70135590156368555, -0.47279140772793404, -1.0678237059868452, -0.21797491465829513, -1.0260044483072397, -0.72889122929114025},
		dir:    "increase",
		target: ptr[float64](0.5),
		groups: []wantGroup{
			{0, 12, -0.2115308595183327, -3.4627863156820315, 3.0397245966453661, -2.3790344969607986, 1.9559727779241332, 12, 0, 0, "common_cause", true},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "inconsistent", variationIcon: "common_cause", assuranceIcon: "inconsistent",
	},
	{
		name: "icons s5",
		// tests/testthat/test-geom_ptd_icon.R "ptd_get_icons transforms the data correctly" s5
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, 4.3749607321507433, 3.3133066892575869, 5.837787044494525, 5.153373117836515, 3.8618630629880526, 6.2538149210699263, 5.426464221476814, 4.7049285170077288, 5.8951256610450224, 5.8781334875330424, 5.8215810816374871, 5.6886402541000907},
		dir:    "increase",
		target: ptr[float64](-3),
		groups: []wantGroup{
			{0, 24, 2.6891721190027491, -0.02947566927924461, 5.4078199072847433, 0.8767402601480867, 4.5016039778574113, 0, 12, 12, "special_cause_improvement", false},
		},
		labels:    []string{"Below LCL", "Below LCL", "7 Points Below CL", "2 in 3 Below CL", "2 in 3 Below CL", "7 Points Below CL", "2 in 3 Below CL", "Below LCL", "Below LCL", "Below LCL", "7 Points Below CL", "7 Points Below CL", "7 Points Above CL", "7 Points Above CL", "Above UCL", "7 Points Above CL", "7 Points Above CL", "Above UCL", "Above UCL", "7 Points Above CL", "Above UCL", "Above UCL", "Above UCL", "Above UCL"},
		types:     []string{"special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement"},
		assurance: "consistent_pass", variationIcon: "improvement_high", assuranceIcon: "pass",
	},
	{
		name: "icons s6",
		// tests/testthat/test-geom_ptd_icon.R "ptd_get_icons transforms the data correctly" s6
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, 4.3749607321507433, 3.3133066892575869, 5.837787044494525, 5.153373117836515, 3.8618630629880526, 6.2538149210699263, 5.426464221476814, 4.7049285170077288, 5.8951256610450224, 5.8781334875330424, 5.8215810816374871, 5.6886402541000907},
		dir:    "decrease",
		target: ptr[float64](-3),
		groups: []wantGroup{
			{0, 24, 2.6891721190027491, -0.02947566927924461, 5.4078199072847433, 0.8767402601480867, 4.5016039778574113, 0, 12, 12, "special_cause_concern", false},
		},
		labels:    []string{"Below LCL", "Below LCL", "7 Points Below CL", "2 in 3 Below CL", "2 in 3 Below CL", "7 Points Below CL", "2 in 3 Below CL", "Below LCL", "Below LCL", "Below LCL", "7 Points Below CL", "7 Points Below CL", "7 Points Above CL", "7 Points Above CL", "Above UCL", "7 Points Above CL", "7 Points Above CL", "Above UCL", "Above UCL", "7 Points Above CL", "Above UCL", "Above UCL", "Above UCL", "Above UCL"},
		types:     []string{"special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern"},
		assurance: "consistent_fail", variationIcon: "concern_high", assuranceIcon: "fail",
	},
	{
		name: "icons s7",
		// tests/testthat/test-geom_ptd_icon.R "ptd_get_icons transforms the data correctly" s7
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, -4.4460823464624113, -5.0619117105767213, -5.3059626637399164, -5.3804710010123831, -5.6947069789205127, -5.2079172780195986, -6.2653963515682642, -2.8310440346614874, -3.7920380016950093, -6.1231085832033489, -5.4028848352990764, -5.466655353623219},
		dir:    "increase",
		target: ptr[float64](3),
		groups: []wantGroup{
			{0, 24, -2.4436677947213958, -5.0902205566345788, 0.20288496719178761, -4.2080363026635181, -0.67929928677927354, 0, 12, 12, "special_cause_concern", false},
		},
		labels:    []string{"2 in 3 Above CL", "2 in 3 Above CL", "Above UCL", "2 in 3 Above CL", "2 in 3 Above CL", "Above UCL", "Above UCL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "Above UCL", "Above UCL", "7 Point Trend (Decreasing)", "7 Point Trend (Decreasing)", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "7 Points Below CL", "7 Points Below CL", "Below LCL", "Below LCL", "Below LCL"},
		types:     []string{"special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern"},
		assurance: "consistent_fail", variationIcon: "concern_low", assuranceIcon: "fail",
	},
	{
		name: "icons s8",
		// tests/testthat/test-geom_ptd_icon.R "ptd_get_icons transforms the data correctly" s8
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, -4.4460823464624113, -5.0619117105767213, -5.3059626637399164, -5.3804710010123831, -5.6947069789205127, -5.2079172780195986, -6.2653963515682642, -2.8310440346614874, -3.7920380016950093, -6.1231085832033489, -5.4028848352990764, -5.466655353623219},
		dir:    "decrease",
		target: ptr[float64](3),
		groups: []wantGroup{
			{0, 24, -2.4436677947213958, -5.0902205566345788, 0.20288496719178761, -4.2080363026635181, -0.67929928677927354, 0, 12, 12, "special_cause_improvement", false},
		},
		labels:    []string{"2 in 3 Above CL", "2 in 3 Above CL", "Above UCL", "2 in 3 Above CL", "2 in 3 Above CL", "Above UCL", "Above UCL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "Above UCL", "Above UCL", "7 Point Trend (Decreasing)", "7 Point Trend (Decreasing)", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "7 Points Below CL", "7 Points Below CL", "Below LCL", "Below LCL", "Below LCL"},
		types:     []string{"special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement"},
		assurance: "consistent_pass", variationIcon: "improvement_low", assuranceIcon: "pass",
	},
	{
		name: "icons s9",
		// tests/testthat/test-geom_ptd_icon.R "ptd_get_icons transforms the data correctly" s9
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, -4.4460823464624113, -5.0619117105767213, -5.3059626637399164, -5.3804710010123831, -5.6947069789205127, -5.2079172780195986, -6.2653963515682642, -2.8310440346614874, -3.7920380016950093, -6.1231085832033489, -5.4028848352990764, -5.466655353623219},
		dir:    "neutral",
		target: ptr[float64](3),
		groups: []wantGroup{
			{0, 24, -2.4436677947213958, -5.0902205566345788, 0.20288496719178761, -4.2080363026635181, -0.67929928677927354, 0, 0, 0, "special_cause_neutral_low", false},
		},
		labels:    []string{"2 in 3 Above CL", "2 in 3 Above CL", "Above UCL", "2 in 3 Above CL", "2 in 3 Above CL", "Above UCL", "Above UCL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "Above UCL", "Above UCL", "7 Point Trend (Decreasing)", "7 Point Trend (Decreasing)", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "7 Points Below CL", "7 Points Below CL", "Below LCL", "Below LCL", "Below LCL"},
		types:     []string{"special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low"},
		assurance: "", variationIcon: "neutral_low", assuranceIcon: "",
	},
	{
		name: "increasing trend of 8",
		// issue #167 example: data.frame(y = 0:7) |> ptd_spc(y, x)
		values: []float64{0, 1, 2, 3, 4, 5, 6, 7},
		dir:    "increase",
		groups: []wantGroup{
			{0, 8, 3.5, 0.83999999999999986, 6.1600000000000001, 1.7266666666666666, 5.2733333333333334, 0, 7, 1, "special_cause_improvement", true},
		},
		labels:    []string{"Below LCL", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "Above UCL"},
		types:     []string{"special_cause_concern", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement"},
		assurance: "", variationIcon: "improvement_high", assuranceIcon: "",
	},
	{
		name: "decreasing trend of 8",
		// issue #167 example: data.frame(y = 0:-7) |> ptd_spc(y, x)
		values: []float64{0, -1, -2, -3, -4, -5, -6, -7},
		dir:    "increase",
		groups: []wantGroup{
			{0, 8, -3.5, -6.1600000000000001, -0.83999999999999986, -5.2733333333333334, -1.7266666666666666, 0, 1, 7, "special_cause_concern", true},
		},
		labels:    []string{"Above UCL", "7 Point Trend (Decreasing)", "7 Point Trend (Decreasing)", "7 Point Trend (Decreasing)", "7 Point Trend (Decreasing)", "7 Point Trend (Decreasing)", "7 Point Trend (Decreasing)", "Below LCL"},
		types:     []string{"special_cause_improvement", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern"},
		assurance: "", variationIcon: "concern_low", assuranceIcon: "",
	},
	{
		name: "short groups 35/5",
		// tests/testthat/test-ptd_add_short_group_warnings.R "it handles facets and rebase groups - warning on one facet", facet a
		values: []float64{0.8414709848078965, 0.90929742682568171, 0.14112000805986721, -0.7568024953079282, -0.95892427466313845, -0.27941549819892586, 0.65698659871878906, 0.98935824662338179, 0.41211848524175659, -0.54402111088936977, -0.99999020655070348, -0.53657291800043494, 0.42016703682664092, 0.99060735569487035, 0.65028784015711683, -0.2879033166650653, -0.96139749187955681, -0.75098724677167605, 0.14987720966295234, 0.91294525072762767, 0.83665563853605607, -0.0088513092904038762, -0.84622040417517064, -0.90557836200662389, -0.13235175009777303, 0.76255845047960269, 0.95637592840450303, 0.27090578830786904, -0.66363388421296754, -0.98803162409286183, -0.40403764532306502, 0.55142668124169059, 0.99991186010726718, 0.52908268612002385, -0.42818266949615102, -0.99177885344311578, -0.6435381333569995, 0.29636857870938532, 0.96379538628408779, 0.74511316047934883},
		rebase: []int{35},
		dir:    "increase",
		groups: []wantGroup{
			{0, 35, 0.043664321969193648, -1.5782744129712836, 1.6656030569096709, -1.0376281679911246, 1.1249568119295119, 35, 0, 0, "common_cause", false},
			{35, 5, 0.073992027734541332, -1.3718885218442005, 1.5198725773132833, -0.88992833865128662, 1.0379123941203692, 5, 0, 0, "common_cause", true},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "short groups 20/20",
		// tests/testthat/test-ptd_add_short_group_warnings.R "it handles facets and rebase groups - warning on one facet", facet b
		values: []float64{0.54030230586813977, -0.41614683654714241, -0.98999249660044542, -0.65364362086361194, 0.28366218546322625, 0.96017028665036597, 0.7539022543433046, -0.14550003380861354, -0.91113026188467694, -0.83907152907645244, 0.0044256979880507854, 0.84385395873249214, 0.90744678145019619, 0.13673721820783361, -0.75968791285882131, -0.95765948032338466, -0.27516333805159693, 0.66031670824408017, 0.98870461818666922, 0.40808206181339196, -0.54772926022426838, -0.99996082639463713, -0.53283302033339752, 0.42417900733699698, 0.99120281186347359, 0.64691932232864036, -0.29213880873383619, -0.96260586631356659, -0.7480575296890003, 0.15425144988758405, 0.91474235780453128, 0.83422336050651025, -0.013276747223059479, -0.84857027478460523, -0.90369220509150672, -0.12796368962740468, 0.7654140519453434, 0.95507364404729489, 0.26664293235993725, -0.66693806165226188},
		rebase: []int{20},
		dir:    "increase",
		groups: []wantGroup{
			{0, 20, 0.026980428346650254, -1.5917595048478212, 1.6457203615411216, -1.0521795271163308, 1.1061403838096311, 20, 0, 0, "common_cause", false},
			{20, 20, -0.034555867599361606, -1.6548828590234836, 1.5857711238247605, -1.1147738618821097, 1.0456621266833865, 20, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "group of 12 is short",
		// R/ptd_add_short_group_warnings.R: default threshold 13
		values: []float64{0.8414709848078965, 0.90929742682568171, 0.14112000805986721, -0.7568024953079282, -0.95892427466313845, -0.27941549819892586, 0.65698659871878906, 0.98935824662338179, 0.41211848524175659, -0.54402111088936977, -0.99999020655070348, -0.53657291800043494, 0.42016703682664092, 0.99060735569487035, 0.65028784015711683, -0.2879033166650653, -0.96139749187955681, -0.75098724677167605, 0.14987720966295234, 0.91294525072762767, 0.83665563853605607, -0.0088513092904038762, -0.84622040417517064, -0.90557836200662389, -0.13235175009777303},
		rebase: []int{12},
		dir:    "increase",
		groups: []wantGroup{
			{0, 12, -0.010447896111093986, -1.5428730271416846, 1.5219772349194964, -1.0320646501314878, 1.0111688579092997, 12, 0, 0, "common_cause", true},
			{12, 13, 0.005173111593768813, -1.5439528413748338, 1.5542990645623713, -1.0275775237186329, 1.0379237469061704, 13, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "all equal, screened",
		// edge: zero moving ranges are all screened out (0 < 3.267 * 0 is false), so amr is NaN
		values: []float64{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5},
		dir:    "increase",
		groups: []wantGroup{
			{0, 15, 5, nan, nan, nan, nan, 15, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "all equal, not screened",
		// edge: zero moving range without screening: limits collapse onto the mean
		values:   []float64{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5},
		dir:      "increase",
		noScreen: true,
		groups: []wantGroup{
			{0, 15, 5, 5, 5, 5, 5, 15, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "one-point group",
		// edge: a rebase at the last point leaves a group with no moving range
		values: []float64{0.8414709848078965, 0.90929742682568171, 0.14112000805986721, -0.7568024953079282, -0.95892427466313845, -0.27941549819892586, 0.65698659871878906, 0.98935824662338179, 0.41211848524175659, -0.54402111088936977, -0.99999020655070348, -0.53657291800043494, 0.42016703682664092, 0.99060735569487035, 0.65028784015711683},
		rebase: []int{14},
		dir:    "increase",
		groups: []wantGroup{
			{0, 14, 0.091814259942027382, -1.5173377377015118, 1.7009662575855664, -0.98095373848699874, 1.1645822583710534, 14, 0, 0, "common_cause", false},
			{14, 1, 0.65028784015711683, nan, nan, nan, nan, 1, 0, 0, "common_cause", true},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "points on the mean break runs",
		// edge: relative_to_mean = sign(0) = 0 ends a run of one side
		values: []float64{0, 10, 0, 10, 0, 10, 6, 6, 6, 5, 6, 6, 6, 4, 4, 4, 4, 4, 4, 5},
		dir:    "increase",
		groups: []wantGroup{
			{0, 20, 5, -3.2599999999999998, 13.26, -0.50666666666666682, 10.506666666666668, 20, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "seven on one side",
		// edge: 7 points strictly above the mean
		values: []float64{0, 10, 0, 10, 0, 10, 0, 6, 6, 6, 6, 6, 6, 6, 0, 0, 0, 0, 0, 0},
		dir:    "increase",
		groups: []wantGroup{
			{0, 20, 3.6000000000000001, -6.4800000000000004, 13.68, -3.1199999999999997, 10.32, 13, 7, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "six on one side",
		// edge: 6 points are not enough
		values: []float64{0, 10, 0, 10, 0, 10, 0, 2, 6, 6, 6, 6, 6, 6, 0, 0, 0, 0, 0, 0},
		dir:    "increase",
		groups: []wantGroup{
			{0, 20, 3.3999999999999999, -6.6799999999999997, 13.48, -3.3199999999999998, 10.119999999999999, 20, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "points exactly on the limits",
		// edge: y == upl is inside the limits but beyond the near limit
		values: []float64{10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 16.32, 12, 16.32, 12, 12, 5.6799999999999997, 10, 5.6799999999999997, 5.6789999999999994, 10},
		fix:    12,
		dir:    "increase",
		groups: []wantGroup{
			{0, 22, 11, 5.6799999999999997, 16.32, 7.4533333333333331, 14.546666666666667, 17, 2, 3, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "2 in 3 Above CL", "Common Cause", "2 in 3 Above CL", "Common Cause", "Common Cause", "2 in 3 Below CL", "Common Cause", "2 in 3 Below CL", "Below LCL", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "special_cause_improvement", "common_cause", "special_cause_improvement", "common_cause", "common_cause", "special_cause_concern", "common_cause", "special_cause_concern", "special_cause_concern", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "trends joined by an equal value",
		// edge: the point before an equal step joining two increasing trends reads sign 0, i.e. Decreasing
		values: []float64{1, 2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 11, 12, 13},
		dir:    "decrease",
		groups: []wantGroup{
			{0, 14, 7, 4.5446153846153843, 9.4553846153846166, 5.3630769230769229, 8.6369230769230771, 0, 5, 9, "special_cause_concern", false},
		},
		labels:    []string{"Below LCL", "Below LCL", "Below LCL", "Below LCL", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "Above UCL", "Above UCL", "Above UCL", "Above UCL"},
		types:     []string{"special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_concern", "special_cause_concern", "special_cause_improvement", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern"},
		assurance: "", variationIcon: "concern_high", assuranceIcon: "",
	},
	{
		name: "trend crossing the mean",
		// issue #171: a 7-point trend crossing the mean
		values: []float64{5, 5.5, 4.5, 5, 4, 6, 1, 2, 3, 4, 5, 6, 7, 8, 5, 4.5, 5.5, 5, 4, 6},
		dir:    "increase",
		groups: []wantGroup{
			{0, 20, 4.7999999999999998, 1.8444444444444441, 7.7555555555555555, 2.8296296296296291, 6.7703703703703706, 12, 7, 1, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Below LCL", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "Above UCL", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "special_cause_concern", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "rebase at 0 and 10",
		// edge: a rebase at the first point changes nothing
		values: []float64{-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806, 1.2240817974394615, 0.35981382705736381, 0.40077145059405217, 0.11068271594511971, -0.55584113475407493, 1.7869131368030782, 0.49785047822923939, -1.9666171566296382, 0.70135590156368555, -0.47279140772793404},
		rebase: []int{0, 10},
		dir:    "increase",
		groups: []wantGroup{
			{0, 10, 0.074625644097161895, -2.6005854077454389, 2.7498366959397629, -1.7088483904645722, 1.8580996786588961, 10, 0, 0, "common_cause", true},
			{10, 10, 0.20862196085203533, -3.2790054477294084, 3.6962493694334788, -2.1164629782022604, 2.5337068999063308, 10, 0, 0, "common_cause", true},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "random walk, rebase and fix, increase",
		// stress: random walk (set.seed(42); cumsum(rnorm(60))), rebase at 30, fix_after_n_points 12
		values: []float64{1.3709584471466685, 0.80626027575057979, 1.1693886870879191, 1.8022512920489593, 2.2065196151899586, 2.1003950990984745, 3.6119170965374132, 3.5172580581243156, 5.5356817720013574, 5.4729676729489363, 6.7778373271724215, 9.0644827198735278, 7.6756220187611897, 7.3968332519438178, 7.2635119155501595, 7.8994623136202344, 7.6152093922041617, 4.9587539712993864, 2.5182870427238666, 3.8384003884540587, 3.5317617943755844, 1.7504533603955843, 1.5785360046359629, 2.7932107038085618, 4.6884041650735266, 4.2579350334673274, 4.000665650698398, 2.2375025655036174, 2.6975999203348886, 2.0576050443747698, 2.5130551676159891, 3.2178925048448082, 4.2529960268147304, 3.6440696514075195, 4.1490247747054898, 2.432016095632147, 1.6475570872526513, 0.79664949307613286, -1.6175581568704991, -1.5814355499782433, -1.3754369497779895, -1.7364942483266559, -0.97833101262713884, -1.7050358397037142, -3.0733168841230087, -2.6404988582342916, -3.4518920344209629, -2.0077907726997104, -2.4392369753130558, -1.783589091910849, -1.4616638267069024, -2.2455027675872778, -0.66977524779530051, -0.026875942077984188, 0.062884704521621482, 0.33943545181308449, 1.0187242678683552, 1.1085571544474371, -1.8845329287054977, -1.5996499751748383},
		rebase: []int{30},
		fix:    12,
		dir:    "increase",
		target: ptr[float64](0),
		groups: []wantGroup{
			{0, 30, 3.6196598385817111, 1.3586801700177209, 5.8806395071457018, 2.1123400595390507, 5.1269796176243716, 10, 10, 10, "common_cause", false},
			{30, 30, 1.3618613246996734, -0.86856893848415306, 3.5922915878834996, -0.12509218408954448, 2.8488148334888912, 0, 13, 17, "special_cause_concern", false},
		},
		labels:    []string{"7 Points Below CL", "Below LCL", "Below LCL", "2 in 3 Below CL", "7 Points Below CL", "2 in 3 Below CL", "7 Points Below CL", "7 Points Below CL", "2 in 3 Above CL", "2 in 3 Above CL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "7 Points Above CL", "Common Cause", "Common Cause", "Common Cause", "2 in 3 Below CL", "2 in 3 Below CL", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "7 Points Above CL", "7 Points Above CL", "Above UCL", "Above UCL", "Above UCL", "7 Points Above CL", "7 Points Above CL", "7 Points Below CL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "Below LCL", "Below LCL"},
		types:     []string{"special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "common_cause", "common_cause", "common_cause", "special_cause_concern", "special_cause_concern", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_concern", "special_cause_concern"},
		assurance: "inconsistent", variationIcon: "concern_low", assuranceIcon: "inconsistent",
	},
	{
		name: "random walk, decrease",
		// stress: same walk, decrease
		values: []float64{1.3709584471466685, 0.80626027575057979, 1.1693886870879191, 1.8022512920489593, 2.2065196151899586, 2.1003950990984745, 3.6119170965374132, 3.5172580581243156, 5.5356817720013574, 5.4729676729489363, 6.7778373271724215, 9.0644827198735278, 7.6756220187611897, 7.3968332519438178, 7.2635119155501595, 7.8994623136202344, 7.6152093922041617, 4.9587539712993864, 2.5182870427238666, 3.8384003884540587, 3.5317617943755844, 1.7504533603955843, 1.5785360046359629, 2.7932107038085618, 4.6884041650735266, 4.2579350334673274, 4.000665650698398, 2.2375025655036174, 2.6975999203348886, 2.0576050443747698, 2.5130551676159891, 3.2178925048448082, 4.2529960268147304, 3.6440696514075195, 4.1490247747054898, 2.432016095632147, 1.6475570872526513, 0.79664949307613286, -1.6175581568704991, -1.5814355499782433, -1.3754369497779895, -1.7364942483266559, -0.97833101262713884, -1.7050358397037142, -3.0733168841230087, -2.6404988582342916, -3.4518920344209629, -2.0077907726997104, -2.4392369753130558, -1.783589091910849, -1.4616638267069024, -2.2455027675872778, -0.66977524779530051, -0.026875942077984188, 0.062884704521621482, 0.33943545181308449, 1.0187242678683552, 1.1085571544474371, -1.8845329287054977, -1.5996499751748383},
		dir:    "decrease",
		target: ptr[float64](100),
		groups: []wantGroup{
			{0, 60, 1.9183319653028612, -0.30419658188593757, 4.1408605124916598, 0.43664626717699551, 3.4000176634287271, 6, 19, 35, "special_cause_improvement", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "7 Points Above CL", "7 Points Above CL", "2 in 3 Above CL", "2 in 3 Above CL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "7 Points Above CL", "2 in 3 Above CL", "2 in 3 Above CL", "Common Cause", "Common Cause", "7 Points Above CL", "Above UCL", "Above UCL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "Above UCL", "7 Points Above CL", "Above UCL", "7 Points Above CL", "7 Points Below CL", "7 Points Below CL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "Below LCL", "Below LCL"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "common_cause", "common_cause", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_improvement", "special_cause_improvement"},
		assurance: "consistent_pass", variationIcon: "improvement_low", assuranceIcon: "pass",
	},
	{
		name: "random walk, neutral",
		// stress: same walk, neutral
		values: []float64{1.3709584471466685, 0.80626027575057979, 1.1693886870879191, 1.8022512920489593, 2.2065196151899586, 2.1003950990984745, 3.6119170965374132, 3.5172580581243156, 5.5356817720013574, 5.4729676729489363, 6.7778373271724215, 9.0644827198735278, 7.6756220187611897, 7.3968332519438178, 7.2635119155501595, 7.8994623136202344, 7.6152093922041617, 4.9587539712993864, 2.5182870427238666, 3.8384003884540587, 3.5317617943755844, 1.7504533603955843, 1.5785360046359629, 2.7932107038085618, 4.6884041650735266, 4.2579350334673274, 4.000665650698398, 2.2375025655036174, 2.6975999203348886, 2.0576050443747698, 2.5130551676159891, 3.2178925048448082, 4.2529960268147304, 3.6440696514075195, 4.1490247747054898, 2.432016095632147, 1.6475570872526513, 0.79664949307613286, -1.6175581568704991, -1.5814355499782433, -1.3754369497779895, -1.7364942483266559, -0.97833101262713884, -1.7050358397037142, -3.0733168841230087, -2.6404988582342916, -3.4518920344209629, -2.0077907726997104, -2.4392369753130558, -1.783589091910849, -1.4616638267069024, -2.2455027675872778, -0.66977524779530051, -0.026875942077984188, 0.062884704521621482, 0.33943545181308449, 1.0187242678683552, 1.1085571544474371, -1.8845329287054977, -1.5996499751748383},
		dir:    "neutral",
		target: ptr[float64](0),
		groups: []wantGroup{
			{0, 60, 1.9183319653028612, -0.30419658188593757, 4.1408605124916598, 0.43664626717699551, 3.4000176634287271, 6, 0, 0, "special_cause_neutral_low", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "7 Points Above CL", "7 Points Above CL", "2 in 3 Above CL", "2 in 3 Above CL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "7 Points Above CL", "2 in 3 Above CL", "2 in 3 Above CL", "Common Cause", "Common Cause", "7 Points Above CL", "Above UCL", "Above UCL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "Above UCL", "7 Points Above CL", "Above UCL", "7 Points Above CL", "7 Points Below CL", "7 Points Below CL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "Below LCL", "Below LCL"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "common_cause", "common_cause", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_low", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_low", "special_cause_neutral_low"},
		assurance: "", variationIcon: "neutral_low", assuranceIcon: "",
	},
	{
		name: "random walk, unscreened",
		// stress: same walk, no screening
		values:   []float64{1.3709584471466685, 0.80626027575057979, 1.1693886870879191, 1.8022512920489593, 2.2065196151899586, 2.1003950990984745, 3.6119170965374132, 3.5172580581243156, 5.5356817720013574, 5.4729676729489363, 6.7778373271724215, 9.0644827198735278, 7.6756220187611897, 7.3968332519438178, 7.2635119155501595, 7.8994623136202344, 7.6152093922041617, 4.9587539712993864, 2.5182870427238666, 3.8384003884540587, 3.5317617943755844, 1.7504533603955843, 1.5785360046359629, 2.7932107038085618, 4.6884041650735266, 4.2579350334673274, 4.000665650698398, 2.2375025655036174, 2.6975999203348886, 2.0576050443747698, 2.5130551676159891, 3.2178925048448082, 4.2529960268147304, 3.6440696514075195, 4.1490247747054898, 2.432016095632147, 1.6475570872526513, 0.79664949307613286, -1.6175581568704991, -1.5814355499782433, -1.3754369497779895, -1.7364942483266559, -0.97833101262713884, -1.7050358397037142, -3.0733168841230087, -2.6404988582342916, -3.4518920344209629, -2.0077907726997104, -2.4392369753130558, -1.783589091910849, -1.4616638267069024, -2.2455027675872778, -0.66977524779530051, -0.026875942077984188, 0.062884704521621482, 0.33943545181308449, 1.0187242678683552, 1.1085571544474371, -1.8845329287054977, -1.5996499751748383},
		rebase:   []int{15, 45},
		dir:      "increase",
		noScreen: true,
		groups: []wantGroup{
			{0, 15, 4.3847923499490467, 2.2661238718273284, 6.5034608280707644, 2.9723466978679012, 5.7972380020301921, 0, 7, 8, "special_cause_improvement", false},
			{15, 30, 2.2336479836970717, -0.34877155853366038, 4.8160675259278038, 0.51203495554325018, 3.9552610118508933, 13, 8, 9, "special_cause_concern", false},
			{45, 15, -1.1787604561317448, -3.2840337369897052, 0.92651282472621554, -2.5822759767037189, 0.22475506444022897, 2, 7, 6, "common_cause", false},
		},
		labels:    []string{"Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "7 Points Below CL", "7 Points Below CL", "7 Points Above CL", "7 Points Above CL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Above UCL", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "2 in 3 Above CL", "2 in 3 Above CL", "2 in 3 Above CL", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "2 in 3 Above CL", "Common Cause", "2 in 3 Above CL", "Common Cause", "7 Points Below CL", "7 Points Below CL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "Below LCL", "7 Points Below CL", "Below LCL", "7 Points Below CL", "7 Points Below CL", "7 Points Below CL", "7 Points Below CL", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "Above UCL", "Above UCL", "Common Cause", "Common Cause"},
		types:     []string{"special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "special_cause_improvement", "common_cause", "special_cause_improvement", "common_cause", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "spikes and 2 in 3",
		// stress: spikes outside the limits and a 2-in-3 pattern
		values: []float64{2.2872471613405239, -1.1967716822223495, -0.69429251043545903, -0.41229295113680253, -0.97067334111948322, -0.94727994522810754, 0.74813934029055118, -0.11695522588715161, 0.15265762628223362, 6, 0.35698623032902249, 2.7167517831307246, 2.2814519259895572, 0.32402054013851594, 1.8960670668099311, 0.4676805113216978, -0.89380072308544378, -0.30732829953719465, -0.0048224222675704127, 0.98816414949994458, 0.83975035962407119, 0.7053418309055004, 1.3059647208116876, -1.3879962165928503, -6, 0.18419277123576738, 0.75227989574003307, 0.59174505246272679, -0.983052595771021, -0.27606395511200599, 2.3999999999999999, 0.5, 2.6000000000000001, -0.078466767971704154, -0.42049045934199791, -0.56212587628526578, 0.99751344475530523, -1.1051300588132629, -0.14228783077458512, 0.31499490488791326},
		dir:    "increase",
		groups: []wantGroup{
			{0, 40, 0.32277796134933628, -2.9872366223833291, 3.632792545082002, -1.883898427805774, 2.5294543505044467, 32, 7, 1, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Above UCL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Below LCL", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "special_cause_improvement", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "special_cause_concern", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "spikes and 2 in 3, decrease",
		// stress: same, decrease
		values: []float64{2.2872471613405239, -1.1967716822223495, -0.69429251043545903, -0.41229295113680253, -0.97067334111948322, -0.94727994522810754, 0.74813934029055118, -0.11695522588715161, 0.15265762628223362, 6, 0.35698623032902249, 2.7167517831307246, 2.2814519259895572, 0.32402054013851594, 1.8960670668099311, 0.4676805113216978, -0.89380072308544378, -0.30732829953719465, -0.0048224222675704127, 0.98816414949994458, 0.83975035962407119, 0.7053418309055004, 1.3059647208116876, -1.3879962165928503, -6, 0.18419277123576738, 0.75227989574003307, 0.59174505246272679, -0.983052595771021, -0.27606395511200599, 2.3999999999999999, 0.5, 2.6000000000000001, -0.078466767971704154, -0.42049045934199791, -0.56212587628526578, 0.99751344475530523, -1.1051300588132629, -0.14228783077458512, 0.31499490488791326},
		dir:    "decrease",
		target: ptr[float64](-10),
		groups: []wantGroup{
			{0, 40, 0.32277796134933628, -2.9872366223833291, 3.632792545082002, -1.883898427805774, 2.5294543505044467, 32, 1, 7, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Above UCL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "7 Points Above CL", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Below LCL", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "special_cause_concern", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "special_cause_improvement", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "consistent_fail", variationIcon: "common_cause", assuranceIcon: "fail",
	},
	{
		name: "six increasing points",
		// edge: fewer points than the trend rule needs
		values: []float64{1, 2, 3, 4, 5, 6},
		dir:    "increase",
		groups: []wantGroup{
			{0, 6, 3.5, 0.83999999999999986, 6.1600000000000001, 1.7266666666666666, 5.2733333333333334, 6, 0, 0, "common_cause", true},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "single point",
		// edge: a series of one point
		values: []float64{42},
		dir:    "increase",
		groups: []wantGroup{
			{0, 1, 42, nan, nan, nan, nan, 1, 0, 0, "common_cause", true},
		},
		labels:    []string{"Common Cause"},
		types:     []string{"common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "two points",
		// edge: a series of two points
		values: []float64{3, 5},
		dir:    "increase",
		target: ptr[float64](4),
		groups: []wantGroup{
			{0, 2, 4, -1.3200000000000003, 9.3200000000000003, 0.45333333333333314, 7.5466666666666669, 2, 0, 0, "common_cause", true},
		},
		labels:    []string{"Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause"},
		assurance: "inconsistent", variationIcon: "common_cause", assuranceIcon: "inconsistent",
	},
	{
		name: "seven increasing, neutral",
		// edge: a trend under a neutral direction
		values: []float64{5, 1, 2, 3, 4, 5, 6, 7, 3, 4, 5, 2, 6, 5},
		dir:    "neutral",
		groups: []wantGroup{
			{0, 14, 4.1428571428571432, -0.7679120879120882, 9.0536263736263756, 0.86901098901098894, 7.4167032967032975, 7, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "special_cause_neutral_high", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "", variationIcon: "common_cause", assuranceIcon: "",
	},
	{
		name: "negative rates, decrease",
		// edge: negative values and a lower limit below zero
		values: []float64{-0.5, 0.20000000000000001, -0.10000000000000001, 0.40000000000000002, -0.29999999999999999, 0.10000000000000001, 0, -0.20000000000000001, 0.29999999999999999, -2.5, 0.10000000000000001, -0.10000000000000001, 0.20000000000000001, 0, -0.40000000000000002},
		dir:    "decrease",
		target: ptr[float64](-1),
		groups: []wantGroup{
			{0, 15, -0.18666666666666668, -1.1841666666666668, 0.81083333333333341, -0.85166666666666668, 0.47833333333333339, 14, 1, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Below LCL", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "special_cause_improvement", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "inconsistent", variationIcon: "common_cause", assuranceIcon: "inconsistent",
	},
	{
		name: "target exactly on the upper limit",
		// edge: target == upl is inconsistent (strict comparisons)
		values: []float64{10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 11},
		dir:    "increase",
		target: ptr[float64](16.098333333333333),
		groups: []wantGroup{
			{0, 13, 11, 5.9016666666666664, 16.098333333333333, 7.6011111111111109, 14.398888888888889, 13, 0, 0, "common_cause", false},
		},
		labels:    []string{"Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause", "Common Cause"},
		types:     []string{"common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause", "common_cause"},
		assurance: "inconsistent", variationIcon: "common_cause", assuranceIcon: "inconsistent",
	},
}
