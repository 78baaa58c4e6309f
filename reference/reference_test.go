package reference

import (
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

func TestParseShippedData(t *testing.T) {
	d, err := Parse()
	if err != nil {
		t.Fatal(err)
	}
	count := map[accord.OrgType]int{}
	byCode := map[string]accord.Organisation{}
	for _, o := range d.Organisations {
		count[o.Type]++
		if _, dup := byCode[o.Code]; dup {
			t.Errorf("organisation %s appears twice", o.Code)
		}
		byCode[o.Code] = o
		if o.Type != accord.OrgEngland {
			if _, ok := byCode[o.ParentCode]; !ok {
				t.Errorf("%s %s: parent %s does not come before it", o.Type, o.Code, o.ParentCode)
			}
		}
	}
	want := map[accord.OrgType]int{accord.OrgEngland: 1, accord.OrgRegion: 7, accord.OrgICB: 42, accord.OrgSubICB: 106, accord.OrgPlace: 153}
	for typ, n := range want {
		if count[typ] != n {
			t.Errorf("%s: got %d, want %d", typ, count[typ], n)
		}
	}
	// 218 trusts in the ODS extract, less the three Welsh ones hosted by Q99.
	if count[accord.OrgProvider] != 215 {
		t.Errorf("trusts: got %d, want 215", count[accord.OrgProvider])
	}
	if len(d.Skipped) != 3 || !strings.Contains(d.Skipped[0], "Q99") {
		t.Errorf("skipped: %v", d.Skipped)
	}

	// Surrey Heartlands was recoded by ONS in April 2023.
	sh := byCode["QXU"]
	if sh.ONSCode != "E54000063" || len(sh.ONSCodes) != 2 || sh.ONSCodes[0].ONSCode != "E54000052" ||
		sh.ONSCodes[0].ValidTo.String() != "2023-03-31" || sh.ONSCodes[1].ValidFrom.String() != "2023-04-01" {
		t.Errorf("Surrey Heartlands codes: %+v", sh)
	}
	// North West's region code changed in January 2024.
	if nw := byCode["Y62"]; nw.ONSCode != "E40000014" || len(nw.ONSCodes) != 2 || nw.ONSCodes[0].ONSCode != "E40000010" {
		t.Errorf("North West region codes: %+v", nw)
	}
	if c := byCode["E06000065"]; c.Name != "North Yorkshire" || c.ValidFrom.String() != "2023-04-01" || c.Type != accord.OrgPlace {
		t.Errorf("North Yorkshire: %+v", c)
	}
	if rbd := byCode["RBD"]; rbd.ParentCode != "QVV" || rbd.Name != "Dorset County Hospital NHS Foundation Trust" {
		t.Errorf("Dorset County Hospital: %+v", rbd)
	}

	if len(d.Indicators) < 25 {
		t.Errorf("only %d indicators", len(d.Indicators))
	}
	if len(d.Priorities) != 34 {
		t.Errorf("priorities: got %d, want 34", len(d.Priorities))
	}
	inds := map[string]bool{}
	for _, ind := range d.Indicators {
		inds[ind.ID] = true
	}
	for _, p := range d.Priorities {
		if p.IndicatorID != "" && !inds[p.IndicatorID] {
			t.Errorf("priority %s names unknown indicator %s", p.ID, p.IndicatorID)
		}
		if p.ID == "const_ae_4h" && (!p.Standing() || p.Standard != 95 || p.Comparator != accord.AtLeast) {
			t.Errorf("A&E 4-hour standard: %+v", p)
		}
	}
	for _, id := range []string{"life_expectancy_birth", "healthy_life_expectancy_birth", "life_expectancy_sii", "imd_2025_score"} {
		if !inds[id] {
			t.Errorf("catalogue lacks the population-health indicator %s", id)
		}
	}
}

func TestTitleCase(t *testing.T) {
	for in, want := range map[string]string{
		"LEEDS TEACHING HOSPITALS NHS TRUST":                         "Leeds Teaching Hospitals NHS Trust",
		"THE ROYAL WOLVERHAMPTON NHS TRUST":                          "The Royal Wolverhampton NHS Trust",
		"BIRMINGHAM AND SOLIHULL MENTAL HEALTH NHS FOUNDATION TRUST": "Birmingham and Solihull Mental Health NHS Foundation Trust",
		"ST HELENS AND KNOWSLEY TEACHING HOSPITALS":                  "St Helens and Knowsley Teaching Hospitals",
		"NORTH-WEST AMBULANCE SERVICE":                               "North-West Ambulance Service",
	} {
		if got := TitleCase(in); got != want {
			t.Errorf("TitleCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSetBy(t *testing.T) {
	for in, want := range map[string]string{
		"NHS England: 2025/26 priorities and operational planning guidance (30 Jan 2025)": "NHS England",
		"DHSC/NHS England: Urgent and emergency care plan 2025/26 (June 2025)":            "DHSC/NHS England",
		"Handbook to the NHS Constitution (as summarised by Nuffield Trust)":              "DHSC (NHS Constitution)",
	} {
		if got := setBy(in); got != want {
			t.Errorf("setBy(%q) = %q, want %q", in, got, want)
		}
	}
}
