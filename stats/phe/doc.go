// Package phe computes confidence intervals and public-health measures
// exactly as the PHEindicatormethods R package version 2.1.0 does, so that
// Accord's figures agree with those published on Fingertips.
package phe
