package cli

// extraStatsMethods adds the public-health methods (stats/phe) once they
// exist; until then only spc is offered.
func extraStatsMethods() map[string]statsMethod { return nil }
