package alongside

// HelpLine is one number in the "If you need help now" block that every
// crisis plan shows: who answers, the number as people dial it, and when
// to call. The list is content (content/helpnow/helpnow.txt); an
// organisation may keep its own for its area.
type HelpLine struct {
	Name   string // "Samaritans"
	Number string // "116 123"
	Tel    string // "116123", for the tel: link
	When   string // "Someone to listen, any time, day or night."
}
