package language_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/language"
)

var shipped = sync.OnceValue(func() *language.Checker { return language.New(content.DefaultSuggestions()) })

// checkCases are sentences and what the shipped list flags in them: each
// as the words written, then "=" and the entry's key where that is worth
// saying.
var checkCases = []struct {
	text string
	want []string
}{
	// The examples the list must catch, as written and in other forms.
	{"He is non-compliant.", []string{"non-compliant=non compliant"}},
	{"He has been non compliant with the plan.", []string{"non compliant=non compliant"}},
	{"She has been noncompliant since March.", []string{"noncompliant=non compliant"}},
	{"Non-compliance noted on the ward.", []string{"Non-compliance=non compliant"}},
	{"NON-COMPLIANT with medication", []string{"NON-COMPLIANT with medication=non compliant"}},
	{"non/compliant", []string{"non/compliant"}},
	{"non\u2011compliant, again", []string{"non\u2011compliant"}},
	{"Described as non-\ncompliant in the old notes.", []string{"non-\ncompliant"}},
	{"She suffers from depression.", []string{"suffers from=suffers from"}},
	{"Suffers From anxiety", []string{"Suffers From"}},
	{"He has been suffering from low mood.", []string{"suffering from"}},
	{"She suffered from panic attacks as a child.", []string{"suffered from"}},
	{"He is a schizophrenic.", []string{"a schizophrenic=a schizophrenic"}},
	{"Described as a paranoid schizophrenic by the GP.", []string{"paranoid schizophrenic=a schizophrenic"}},
	{"Her behaviour is attention seeking.", []string{"attention seeking=attention seeking"}},
	{"Attention-seeking again today.", []string{"Attention-seeking"}},
	{"She is an attention seeker.", []string{"attention seeker=attention seeking"}},
	{"He refused his medication.", []string{"refused=refused"}},
	{"He refuses medication most mornings.", []string{"refuses"}},
	{"She is refusing to eat.", []string{"refusing"}},
	{"Staff think he will refuse.", []string{"refuse"}},
	{"He refused to engage.", []string{"refused"}},
	{"Refusal of treatment noted.", []string{"Refusal=refused"}},
	{"He is manipulative.", []string{"manipulative=manipulative"}},
	{"Staff felt he was being (manipulative).", []string{"manipulative"}},
	{"She was manipulating staff.", []string{"manipulating=manipulative"}},
	{"He is low functioning.", []string{"low functioning=low functioning"}},
	{"A low-functioning man.", []string{"low-functioning"}},
	{"He failed to engage with the team.", []string{"failed to engage=failed to engage"}},
	{"She fails to engage.", []string{"fails to engage"}},
	{"Failing to engage with services.", []string{"Failing to engage"}},
	{"History of challenging behaviour.", []string{"challenging behaviour=challenging behaviour"}},
	{"Challenging behaviours were seen.", []string{"Challenging behaviours"}},
	{"He is a frequent flyer at A&E.", []string{"frequent flyer=frequent flyer"}},
	{"On the frequent flyers list.", []string{"frequent flyers"}},

	// Other entries.
	{"She lacks insight into her illness.", []string{"lacks insight"}},
	{"He is in denial about his drinking.", []string{"in denial"}},
	{"She is a self-harmer.", []string{"self-harmer"}},
	{"He committed suicide in 2019.", []string{"committed suicide"}},
	{"Fears he may commit suicide.", []string{"commit suicide=committed suicide"}},
	{"She has a split personality.", []string{"split personality"}},
	{"He was called a psycho at school.", []string{"psycho"}},
	{"He went crazy.", []string{"crazy"}},
	{"He's mad.", []string{"mad"}},
	{"He is a junkie.", []string{"junkie"}},
	{"Junkies on the stair.", []string{"Junkies=junkie"}},
	{"He is an addict.", []string{"an addict"}},
	{"He is an alcoholic.", []string{"an alcoholic"}},
	{"Services for the mentally ill.", []string{"the mentally ill"}},
	{"He was a mental patient for years.", []string{"mental patient"}},
	{"The mental patient's room.", []string{"mental patient"}},
	{"She is a sufferer of migraines.", []string{"sufferer"}},
	{"Hay fever sufferers.", []string{"sufferers=sufferer"}},
	{"He is treatment resistant.", []string{"treatment resistant"}},
	{"Treatment-resistant depression.", []string{"Treatment-resistant"}},
	{"He is a hopeless case.", []string{"hopeless case"}},
	{"A lost cause, they said.", []string{"lost cause=hopeless case"}},
	{"She has unrealistic goals.", []string{"unrealistic goals"}},
	{"He will never recover.", []string{"will never recover"}},
	{"She will never get better.", []string{"will never get better=will never recover"}},
	{"He can't be expected to cook.", []string{"can't be expected to=can't be expected to"}},
	{"He can’t be expected to cook.", []string{"can’t be expected to=can't be expected to"}},
	{"She cannot be expected to manage.", []string{"cannot be expected to"}},
	{"She is allowed to go out.", []string{"allowed to"}},
	{"He is not allowed to have visitors.", []string{"not allowed to=allowed to"}},
	{"We let him go to the shop.", []string{"We let him"}},
	{"It was for his own good.", []string{"for his own good=for their own good"}},
	{"She is difficult to engage.", []string{"difficult to engage"}},
	{"A hard-to-reach group.", []string{"hard-to-reach=difficult to engage"}},
	{"He has disengaged from services.", []string{"disengaged"}},
	{"He was kicking off in the lounge.", []string{"kicking off"}},
	{"He kicked off when told.", []string{"kicked off=kicking off"}},
	{"He absconded from the ward.", []string{"absconded"}},
	{"She is a bed blocker.", []string{"bed blocker"}},
	{"The revolving door of admissions.", []string{"revolving door"}},
	{"He is personality disordered.", []string{"personality disordered"}},
	{"He is unmotivated.", []string{"unmotivated"}},
	{"She is lazy.", []string{"lazy"}},
	{"He is stubborn.", []string{"stubborn"}},
	{"A poor historian.", []string{"poor historian"}},
	{"He is decompensating.", []string{"decompensating"}},
	{"She was put to bed at nine.", []string{"put to bed"}},
	{"He gets his pocket money on Fridays.", []string{"pocket money"}},
	{"He is very needy.", []string{"needy"}},
	{"She is a time waster.", []string{"time waster"}},
	{"She is a psychotic.", []string{"a psychotic"}},
	{"She was described as a depressive.", []string{"a depressive"}},
	{"She has poor coping skills.", []string{"poor coping skills"}},
	{"He is institutionalised.", []string{"institutionalised"}},
	{"She needs to accept her diagnosis.", []string{"accept her diagnosis=accept their illness"}},
	{"He lost privileges for a week.", []string{"lost privileges"}},
	{"Well done, good girl.", []string{"good girl"}},
	{"Our service users enjoy the garden.", []string{"Our service users"}},
	{"He is compliant with medication.", []string{"compliant with medication"}},
	{"He is back to baseline.", []string{"back to baseline"}},
	{"10 refused 2", []string{"refused"}},
	{"She doesn’t refuse help.", []string{"refuse"}},
	{"Он refused.", []string{"refused"}},
	{"He refused, is manipulative and lacks insight.", []string{"refused", "manipulative", "lacks insight"}},
	{"Low functioning, attention-seeking, non-compliant.", []string{"Low functioning", "attention-seeking", "non-compliant"}},

	// Where two overlap, the longer wins.
	{"He is non-compliant with medication.", []string{"non-compliant with medication=non compliant"}},
	{"Poor compliance with medication.", []string{"compliance with medication=compliant with medication"}},
	{"The chronic mental patient.", []string{"chronic mental patient=chronically mentally ill"}},

	// False friends and words that only look alike.
	{"The refuse collection is on Tuesday.", []string{}},
	{"Put the bags in the refuse bin.", []string{}},
	{"The refuse lorry was late.", []string{}},
	{"The refuse lorry’s route changed.", []string{}},
	{"Some stories are heroic examples of people who have refused to accept dire predictions of outcome.", []string{}},
	{"She refused to give up.", []string{}},
	{"He refused to let it define him.", []string{}},
	{"He was a refusenik.", []string{}},
	{"He has a schizophrenic illness.", []string{}},
	{"A psychotic episode last year.", []string{}},
	{"A depressive episode in spring.", []string{}},
	{"She enjoys an alcoholic drink at weekends.", []string{}},
	{"Psycho-education group on Monday.", []string{}},
	{"We played crazy golf.", []string{}},
	{"She made a cup of tea.", []string{}},
	{"She is mad about football.", []string{}},
	{"He joined Mad Pride.", []string{}},
	{"The Madness of Our Lives.", []string{}},
	{"The meeting kicked off at ten.", []string{}},
	{"We let him know about the meeting.", []string{}},
	{"Her son died by suicide.", []string{}},
	{"She felt the suffering was worth it.", []string{}},
	{"The team was challenged by the rota.", []string{}},
	{"We discussed data manipulation.", []string{}},
	{"Institutionalised racism was named.", []string{}},
	{"She has stopped using drugs and feels hopeful.", []string{}},
	{"Denial of benefits is being appealed.", []string{}},

	// A break between words keeps them apart.
	{"Mood low. Functioning well at work.", []string{}},
	{"He is in. Denial is a river.", []string{}},
	{"non-\n\ncompliant", []string{}},
	{"suffers (from", []string{}},

	// Quoted speech.
	{`He said: "I refused it because it makes me sleepy."`, []string{}},
	{`She said “I’m not non-compliant, I just hate the side effects.”`, []string{}},
	{"He said \"I\nrefused it\" quietly.", []string{}},
	{`He said "I refused it. Later he refused again.`, []string{"refused", "refused"}},
	{`"Quoted" and then refused.`, []string{"refused"}},
	{`They refused; “I refused” she said; refused.`, []string{"refused", "refused"}},
	{"He said \"I refused it.\n\nThen he refused again.\"", []string{"refused", "refused"}},
	{`She wrote ”refused” then`, []string{"refused"}},
	{`““refused” and refused`, []string{"refused"}},

	// Nothing to flag.
	{"", []string{}},
	{"She went to college today and enjoyed it.", []string{}},
	{"!!! ... ---", []string{}},
}

func TestCheck(t *testing.T) {
	ch := shipped()
	if len(checkCases) < 100 {
		t.Fatalf("only %d cases", len(checkCases))
	}
	for _, tc := range checkCases {
		ms := ch.Check(tc.text)
		var got []string
		for _, m := range ms {
			got = append(got, tc.text[m.Start:m.End]+"="+m.Entry.Key)
		}
		ok := len(got) == len(tc.want)
		for i := 0; ok && i < len(got); i++ {
			words, key, hasKey := strings.Cut(tc.want[i], "=")
			gotWords, gotKey, _ := strings.Cut(got[i], "=")
			ok = words == gotWords && (!hasKey || key == gotKey)
		}
		if !ok {
			t.Errorf("%q: got %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestWords(t *testing.T) {
	for text, want := range map[string]int{
		"":                           0,
		"  ... \n\n ":                0,
		"non-compliant":              2,
		"doesn’t":                    1,
		"can't, won't":               2,
		"the patient's notes":        3,
		"Hello, world! 123":          3,
		"Он сказал нет":              3,
		"café and cafe\u0301":        3,
		"'quoted' words":             2,
		"rock'n'roll and 'n' things": 4,
	} {
		if got := language.Words(text); got != want {
			t.Errorf("Words(%q) = %d, want %d", text, got, want)
		}
	}
}

func TestKeys(t *testing.T) {
	for phrase, want := range map[string][2]string{
		"Non-Compliant":         {"non compliant", "non compliant"},
		"  suffers   from ":     {"suffers from", "suffer from"},
		"Can’t be expected to":  {"can't be expected to", "can't be expect to"},
		"the patient's":         {"the patient", "the patient"},
		"--":                    {"", ""},
		"Refusing to go":        {"refusing to go", "refus to go"},
		"frequent flyers (all)": {"frequent flyers all", "frequent flyer all"},
	} {
		if k, s := language.Key(phrase), language.StemKey(phrase); k != want[0] || s != want[1] {
			t.Errorf("Key, StemKey(%q) = %q, %q; want %q, %q", phrase, k, s, want[0], want[1])
		}
	}
}

func TestCategories(t *testing.T) {
	names := map[string]bool{}
	for _, c := range language.Categories {
		if !c.Valid() || c.Name() == "" || names[c.Name()] {
			t.Errorf("category %q: valid %v, name %q", c, c.Valid(), c.Name())
		}
		names[c.Name()] = true
	}
	if language.Deficit.Name() != "Deficit-focused" || language.Label.Name() != "Stigmatising label" {
		t.Errorf("names: %q, %q", language.Deficit.Name(), language.Label.Name())
	}
	if language.Category("other").Valid() || language.Category("").Valid() {
		t.Error("an unknown category is valid")
	}
}

func TestEntriesAndNew(t *testing.T) {
	l := content.DefaultSuggestions()
	ch := shipped()
	es := ch.Entries()
	if len(es) != len(l.Entries) || es[0].Key != l.Entries[0].Key || es[len(es)-1].Key != l.Entries[len(l.Entries)-1].Key {
		t.Fatal("Entries is not the list's entries in order")
	}
	es[0].Key = "changed"
	if ch.Entries()[0].Key == "changed" {
		t.Error("changing what Entries gave changed the checker")
	}
	// Every match's entry is one of the checker's.
	for _, m := range ch.Check("He refused. She is non-compliant.") {
		if m.Entry.Key == "changed" || m.Entry.Line == 0 {
			t.Errorf("match entry %+v", m.Entry)
		}
	}

	// A list that was never checked: nothing in it has words, nil.
	for _, l := range []*language.List{nil, {}, {Entries: []language.Entry{{Phrase: "--", Forms: []string{""}, Unless: []string{"!"}}}}} {
		if ms := language.New(l).Check("-- ! anything"); len(ms) != 0 {
			t.Errorf("New(%v) found %v", l, ms)
		}
	}
	// The same words twice in a list: the earlier entry wins.
	two := language.New(&language.List{Entries: []language.Entry{{Key: "a", Phrase: "refused"}, {Key: "b", Phrase: "refuses"}}})
	if ms := two.Check("refusing"); len(ms) != 1 || ms[0].Entry.Key != "a" {
		t.Errorf("two entries: %v", ms)
	}
}

// TestConcurrent checks that one checker gives the same answers from many
// goroutines at once (run with -race).
func TestConcurrent(t *testing.T) {
	ch := shipped()
	text := note(2000)
	want := fmt.Sprint(ch.Check(text))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got := fmt.Sprint(ch.Check(text)); got != want {
					t.Error("a different answer under concurrency")
					return
				}
			}
		})
	}
	wg.Wait()
}

func FuzzCheck(f *testing.F) {
	for _, tc := range checkCases {
		f.Add(tc.text)
	}
	f.Add("\"“”\"\n\n\"refused\xff’s 's ’ ' \u0301 non-\u0301compliant")
	f.Add(strings.Repeat("mad ", 100))
	ch := shipped()
	f.Fuzz(func(t *testing.T, text string) {
		ms := ch.Check(text)
		// Where characters start, as Go reads a string: an invalid byte is
		// a character of its own.
		starts := map[int]bool{len(text): true}
		for i := range text {
			starts[i] = true
		}
		last := 0
		for _, m := range ms {
			if m.Start < last || m.Start < 0 || m.End <= m.Start || m.End > len(text) || m.Entry == nil {
				t.Fatalf("bad match %+v (after %d) in %q", m, last, text)
			}
			if !starts[m.Start] || !starts[m.End] {
				t.Fatalf("match %d:%d is not on UTF-8 boundaries in %q", m.Start, m.End, text)
			}
			last = m.End
		}
		if n := language.Words(text); n < 0 || n > len(text) {
			t.Fatalf("Words = %d for %d bytes", n, len(text))
		}
	})
}

// noteSentences are the kinds of thing a practitioner writes, a few with
// phrases the list flags.
var noteSentences = []string{
	"Met with Sam at his flat this morning; he made us both a cup of tea and showed me the seedlings on his windowsill.",
	"We talked about his hope to get back to the allotment group, which he used to enjoy before his last admission.",
	"He said he has been sleeping better since the change in his medication, though he still feels groggy until about ten.",
	"Staff on the ward had described him as non-compliant, but he explained that the side effects made it hard to concentrate.",
	"His sister rang to ask how the move went; with Sam's agreement I told her he had settled in and is cooking for himself.",
	"We looked at his recovery plan together and he rewrote the first goal in his own words: \"I want to feel useful again.\"",
	"He is worried about money, as the benefit review letter arrived on Tuesday and he has not opened it yet.",
	"We agreed I would sit with him while he reads it next week, and that he will phone the advice service himself.",
	"He mentioned that he suffers from headaches in the afternoons; we agreed he would mention this to the GP.",
	"He was low in mood on Thursday and said the voices had been louder, but he used the breathing exercise that helps him.",
	"The refuse collection has changed to Fridays, so we put a reminder on his calendar by the door.",
	"He spoke about his late father and the fishing trips they took to the loch; he would like to go again in the spring.",
	"The previous service's notes say he refused to engage and was frequently attention seeking, which does not match what we see.",
	"He has walked to the library twice this week and asked about the volunteering scheme at the community garden.",
	"Peer support worker Jo joined us for the last half hour and shared how she got back into work after a long time off.",
	"Sam asked for information about the hearing voices group, and we found the dates for next month together.",
	"He would like his brother involved in his next review, and gave permission for me to send him the date.",
	"Plan for next visit: open the letter together, check in about sleep, and look at bus times for the allotment.",
}

// note is a practitioner's note of about size bytes, built from
// noteSentences in paragraphs.
func note(size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		s := noteSentences[i%len(noteSentences)]
		if b.Len()+len(s)+2 > size && b.Len() > 0 {
			break
		}
		b.WriteString(s)
		if i%4 == 3 {
			b.WriteString("\n\n")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func TestNote(t *testing.T) {
	text := note(10 * 1024)
	if len(text) < 9*1024 || len(text) > 10*1024 {
		t.Fatalf("the note is %d bytes", len(text))
	}
	got := map[string]int{}
	ms := shipped().Check(text)
	for _, m := range ms {
		got[m.Entry.Key]++
	}
	t.Logf("the note is %d bytes, %d words, %d matches", len(text), language.Words(text), len(ms))
	// Each flagged sentence is used five or six times in 10 KB; the quoted
	// words, the refuse collection and the made tea never are.
	for _, k := range []string{"non compliant", "suffers from", "refused", "attention seeking"} {
		if got[k] < 5 {
			t.Errorf("%q flagged %d times in the note", k, got[k])
		}
	}
	if len(got) != 4 {
		t.Errorf("the note flags %v", got)
	}
}

func BenchmarkCheck10KB(b *testing.B) {
	ch := shipped()
	text := note(10 * 1024)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = len(ch.Check(text))
	}
	b.ReportMetric(float64(n), "matches")
	b.ReportMetric(float64(language.Words(text)), "words")
}

func BenchmarkWords10KB(b *testing.B) {
	text := note(10 * 1024)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		language.Words(text)
	}
}
