package alongside

// WritingMonth is a service's staff-written text in one month, in total:
// the words saved and the language suggestions raised in them.
// It is offered to the service review as evidence that practice is
// recovery focused; no figure per writer exists.
type WritingMonth struct {
	Month       string // "2026-11"
	Words       int64
	Suggestions int64
	Writers     int
}

// Shown reports whether the month stands on enough writers to be shown.
func (m WritingMonth) Shown() bool { return EnoughPeople(m.Writers) }

// PerThousand is the suggestions raised per 1,000 words written.
func (m WritingMonth) PerThousand() float64 {
	if m.Words == 0 {
		return 0
	}
	return float64(m.Suggestions) * 1000 / float64(m.Words)
}
