// Package review gathers the evidence a peer review stands on, from what the
// store already holds: which ICBs to suggest as reviewers and why (nearest
// peers, most improved on the focus indicators) with their conflicts of
// interest, who among a set of organisations improved most on an indicator
// and whether SPC calls it a real change, and the data pack of a review.
// Everything it returns is plain data; pages and the API render it.
// docs/peer-review-evidence.md states the rules and the scoring.
package review
