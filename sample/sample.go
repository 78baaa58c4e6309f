// Package sample ships the real published statistics the demo imports:
// NHS England A&E, cancer waiting times and referral-to-treatment files,
// OHID Fingertips population-health data and MHCLG deprivation, each in
// the layout its publisher issues, exactly as published (see
// PROVENANCE.md). The demo brings them in through the same importers as
// any user's file.
package sample

import (
	"embed"
	"io/fs"
	"time"

	"github.com/nhs-accord/accord"
)

//go:embed data
var files embed.FS

// Files names the shipped files in the order the demo imports them:
// context and outcomes first, then the monthly series oldest first.
func Files() []string {
	return []string{
		"iod2025_icb24_summaries.csv",
		"healthy_life_expectancy_at_birth_utla.csv",
		"sii_life_expectancy_utla.csv",
		"fingertipsnext_healthdata_poc_feb2025.csv",
		"nhsrdatasets_ae_attendances_2016_2019.csv",
		"December-2025-official-header.csv",
		"cwt_crs_provider_extract_apr2023_sep2023_provisional.csv.gz",
		"cwt_crs_provider_extract_oct2023.csv",
		"cwt_crs_icb_sub_location_extract_apr2023_oct2023.csv",
		"20241130-RTT-November-2024-RBD.csv",
	}
}

// Open opens a shipped file. The file also implements io.Seeker, so an
// import can hash it before reading it.
func Open(name string) (fs.File, error) { return files.Open("data/" + name) }

// published holds the day each shipped file was published, where it can be
// shown (PROVENANCE.md gives the basis of each). A file missing here has no
// date anyone can vouch for, and is shown as undated rather than given a
// guess: public pages would present a guess as fact.
var published = map[string]accord.Date{
	// NHS England publishes monthly CWT on the second Thursday of the month
	// after next; the provisional extract ends at September 2023, whose
	// provisional figures came out on 9 November 2023.
	"cwt_crs_provider_extract_apr2023_sep2023_provisional.csv.gz": accord.NewDate(2023, time.November, 9),
	// A&E: the second Thursday of the following month.
	"December-2025-official-header.csv": accord.NewDate(2026, time.January, 8),
	// RTT: the second Thursday of the month after next.
	"20241130-RTT-November-2024-RBD.csv": accord.NewDate(2025, time.January, 9),
}

// PublishedOn is the day the shipped file name was published, or the zero
// Date when it is not known.
func PublishedOn(name string) accord.Date { return published[name] }
