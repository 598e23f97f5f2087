// Package language finds wording in practitioners' notes that can carry
// pessimism or stigma ("non-compliant", "suffers from", "a schizophrenic")
// and offers recovery-focused alternatives, from a list of suggestions that
// an organisation may adapt (the shipped list is content/language/, read by
// content.ParseSuggestions). It only suggests: nothing here blocks or
// changes what anyone writes. It has no database or HTTP imports.
//
// # Matching rules
//
// Words. A word is a maximal run of Unicode letters and digits (a combining
// mark after a letter stays in its word). An apostrophe (' or ’) between two
// letters stays inside the word ("doesn’t"); a trailing possessive "'s" or
// "’s" is dropped ("the patient's" is the word "patient"). Hyphens, slashes
// and all other punctuation separate words, so "non-compliant" also matches
// "non compliant" and "non/compliant". Matching is by whole words only:
// "refuse" does not match inside "refusenik". Case does not matter (Unicode
// lower case); the two apostrophes are the same.
//
// Inflections. Every word of the text and of the list goes through the same
// light stemmer, so a phrase matches its common inflections without listing
// them. Only words of four or more letters, all of them a to z, are changed:
//
//  1. Plural and third person: -ies becomes -y ("flies", "fly"; in a
//     four-letter word -ie: "ties", "tie"); -sses, -xes, -ches, -shes and
//     -zzes lose their -es ("watches", "watch"); otherwise a final -s is
//     dropped unless it follows s, u or i ("miss", "status" and "crisis"
//     keep theirs). A word that ends in -ings after that also loses its
//     -ing, as in 2 ("meetings", "meet").
//  2. Past and -ing: -ied becomes -y ("denied", "deny"; "died", "die");
//     -eed is kept ("need"); otherwise -ed and -ing are dropped when a vowel
//     comes before them ("wanted", "seeking"; not "bed" or "thing"). Then a
//     doubled final consonant other than l, s or z is undoubled ("stopped",
//     "stop"), or a short word ending consonant-vowel-consonant gets its e
//     back ("hoped", "hope").
//  3. A final silent e is dropped ("refuse", "refus"), except from a short
//     word ending consonant-vowel-consonant-e ("made", "hope" and "care"
//     keep it, so "made" never matches "mad").
//
// So "refuse", "refused", "refuses" and "refusing" are one stem, as are
// "suffer", "suffers", "suffered" and "suffering". Nothing else is removed:
// not -er ("sufferer" is not "suffer"), -ly or -ness ("madness" is not
// "mad"). Irregular forms ("sought", "children") are written out as an
// entry's forms. A short word that gains a letter ("use", "used") and a
// doubled l ("labelled", "label") are not joined; list such forms too.
//
// Phrases. An entry matches where its phrase, or any one of its forms, is
// found as consecutive words with the same stems. The words of one match
// must not be parted by a break: a full stop, comma, semicolon, colon,
// question or exclamation mark, ellipsis, em dash, bullet, bracket, brace,
// vertical bar, double quotation mark or a blank line. So "Mood low.
// Functioning well." is not "low functioning"; a single line break, as in
// wrapped text, is not a break.
//
// Unless. A match is dropped when one of its entry's unless phrases (false
// friends) is found, by the same rules, over words that cover the whole
// match: "refuse" is not suggested against in "refuse collection". A list
// is refused if an unless phrase does not contain the phrase or one of its
// forms.
//
// Quoted speech. A match between a pair of double quotation marks ("…" or
// “…”) in the same paragraph is not flagged: those are someone's own words,
// often the person's, and recording them as said is good practice. A " opens
// or closes; “ opens (starting afresh if a quotation was already open); ”
// closes. A quotation mark left open at the end of a paragraph quotes
// nothing. Single quotation marks are not counted, as they cannot be told
// from apostrophes.
//
// Overlaps. Where two matches overlap, the one of more words wins, then the
// earlier, then the entry earlier in the list. Matches come back in order of
// where they start and never overlap.
package language

// Category says why a phrase is suggested against.
type Category string

// The categories, in the order they are shown.
const (
	Deficit       Category = "deficit"       // deficit-focused
	Label         Category = "label"         // stigmatising label
	Paternalistic Category = "paternalistic" // decides for the person
	Pessimistic   Category = "pessimistic"   // closes down hope
)

// Categories are all the categories, in the order they are shown.
var Categories = []Category{Deficit, Label, Paternalistic, Pessimistic}

// Name is the category's name as shown to people.
func (c Category) Name() string {
	switch c {
	case Deficit:
		return "Deficit-focused"
	case Label:
		return "Stigmatising label"
	case Paternalistic:
		return "Paternalistic"
	case Pessimistic:
		return "Pessimistic"
	}
	return string(c)
}

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool {
	for _, x := range Categories {
		if c == x {
			return true
		}
	}
	return false
}

// Entry is one suggestion.
type Entry struct {
	Key      string   // the phrase's words lower-cased, joined by single spaces ("non compliant"); unique in a list; dismissals refer to it
	Phrase   string   // as written in the list, e.g. "non-compliant"
	Forms    []string // other written-out forms also matched ("noncompliant", "non-compliance")
	Category Category
	Reason   string   // short, plain words: why it can hurt
	Instead  []string // one or more recovery-focused alternatives
	Unless   []string // false friends: longer phrases containing the phrase (or a form) that are not flagged
	Line     int      // line of the entry's "phrase:" in its file
}

// List is a list of suggestions as read from its file.
type List struct {
	Version int
	Source  string
	Entries []Entry
}
