package alongside

// EvidenceSource is one of the six sources of evidence of an SRI 2 review:
// three kinds of document and three groups of people.
type EvidenceSource string

const (
	SourceAssessments        EvidenceSource = "assessments"
	SourceCarePlans          EvidenceSource = "care-plans"
	SourceServiceInformation EvidenceSource = "service-information"
	SourceStaff              EvidenceSource = "staff"
	SourcePeople             EvidenceSource = "people"
	SourceCarers             EvidenceSource = "carers"
)

// EvidenceSources lists the six sources in the order they are shown.
var EvidenceSources = []EvidenceSource{SourceAssessments, SourceCarePlans, SourceServiceInformation, SourceStaff, SourcePeople, SourceCarers}

// Valid reports whether s is one of the six sources.
func (s EvidenceSource) Valid() bool {
	for _, x := range EvidenceSources {
		if s == x {
			return true
		}
	}
	return false
}

// Document reports whether the source is a document checked by a reviewer
// (only what is written counts), rather than people answering for themselves.
func (s EvidenceSource) Document() bool {
	return s == SourceAssessments || s == SourceCarePlans || s == SourceServiceInformation
}

// Label is the source's name in plain English.
func (s EvidenceSource) Label() string {
	switch s {
	case SourceAssessments:
		return "Assessments"
	case SourceCarePlans:
		return "Care plans"
	case SourceServiceInformation:
		return "Service information"
	case SourceStaff:
		return "Staff"
	case SourcePeople:
		return "People using the service"
	case SourceCarers:
		return "Informal carers"
	}
	return string(s)
}

// StatementSet is a versioned set of indicators and the reflective
// statements under each, per source of evidence. Alongside ships its own;
// an organisation may load another (a licensed one, say). A review keeps the
// set it started with.
type StatementSet struct {
	Name       string
	Version    int
	Source     string // where the wording comes from
	Indicators []Indicator
}

// Indicator is one of the indicators of a recovery-focused service.
type Indicator struct {
	Key        string // stable within the set, e.g. "basic-needs"
	Name       string
	Short      string // a short name for table headings, e.g. "Basic needs"; "" when the set gives none (content.ShortName)
	About      string
	Statements []Statement
}

// Statement is one reflective statement, rated 1–5 or N/A on a sheet.
type Statement struct {
	Source EvidenceSource
	Text   string
}

// For returns the indicator's statements for one source, in order.
func (in Indicator) For(source EvidenceSource) []Statement {
	var out []Statement
	for _, st := range in.Statements {
		if st.Source == source {
			out = append(out, st)
		}
	}
	return out
}
