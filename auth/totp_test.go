package auth

import (
	"encoding/base32"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// rfcKey is the SHA-1 seed of RFC 4226 Appendix D and RFC 6238 Appendix B.
const rfcKey = "12345678901234567890"

// rfcSecret is rfcKey as the base32 secret the public API takes.
var rfcSecret = base32.StdEncoding.EncodeToString([]byte(rfcKey))

func TestRFCSecretEncoding(t *testing.T) {
	if rfcSecret != "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" {
		t.Fatalf("rfcSecret = %s", rfcSecret)
	}
}

// RFC 4226 Appendix D: HOTP values for counters 0 to 9.
func TestHOTPRFC4226Vectors(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314",
		"254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := hotp([]byte(rfcKey), uint64(i), 6); got != w {
			t.Errorf("hotp(counter %d) = %s, want %s", i, got, w)
		}
	}
}

// RFC 6238 Appendix B, SHA-1 rows. The RFC gives 8-digit values; the
// internal helper is checked with 8 digits, and the public 6-digit API must
// give the last six of them.
var rfc6238Vectors = []struct {
	unix int64
	code string
}{
	{59, "94287082"},
	{1111111109, "07081804"},
	{1111111111, "14050471"},
	{1234567890, "89005924"},
	{2000000000, "69279037"},
	{20000000000, "65353130"},
}

func TestTOTPRFC6238Vectors(t *testing.T) {
	for _, v := range rfc6238Vectors {
		tm := time.Unix(v.unix, 0).UTC()
		if got := hotp([]byte(rfcKey), uint64(totpStep(tm)), 8); got != v.code {
			t.Errorf("8-digit code at %d = %s, want %s", v.unix, got, v.code)
		}
		want6 := v.code[2:]
		got, err := TOTPCode(rfcSecret, tm)
		if err != nil {
			t.Fatal(err)
		}
		if got != want6 {
			t.Errorf("TOTPCode at %d = %s, want %s", v.unix, got, want6)
		}
		step, ok := VerifyTOTP(rfcSecret, want6, tm)
		if !ok || step != v.unix/30 {
			t.Errorf("VerifyTOTP(%s) at %d = %d, %v; want %d, true", want6, v.unix, step, ok, v.unix/30)
		}
	}
}

func TestTOTPStep(t *testing.T) {
	tests := []struct {
		unix, step int64
	}{
		{0, 0}, {29, 0}, {30, 1}, {59, 1}, {60, 2}, {-1, -1}, {-30, -1}, {-31, -2},
	}
	for _, tt := range tests {
		if got := totpStep(time.Unix(tt.unix, 0)); got != tt.step {
			t.Errorf("totpStep(%d) = %d, want %d", tt.unix, got, tt.step)
		}
	}
	// Sub-second parts and time zones do not matter.
	tm := time.Unix(59, 999999999).In(time.FixedZone("x", 5*3600+1800))
	if got := totpStep(tm); got != 1 {
		t.Errorf("totpStep(59.999s) = %d, want 1", got)
	}
}

func TestVerifyTOTPSkew(t *testing.T) {
	secret := NewTOTPSecret()
	now := time.Unix(1_700_000_015, 0) // middle of a step
	nowStep := now.Unix() / 30
	for _, off := range []int64{-1, 0, 1} {
		code, err := TOTPCode(secret, now.Add(time.Duration(off)*30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		step, ok := VerifyTOTP(secret, code, now)
		if !ok {
			t.Errorf("code from step %+d rejected", off)
			continue
		}
		// A code can, rarely, also be valid for a later step in the window.
		if step < nowStep+off {
			t.Errorf("code from step %+d reported as step %d", off, step-nowStep)
		}
	}
}

func TestVerifyTOTPOutsideWindow(t *testing.T) {
	now := time.Unix(1_111_111_111, 0)
	nowStep := now.Unix() / 30
	key := []byte(rfcKey)
	window := map[string]bool{}
	for s := nowStep - 1; s <= nowStep+1; s++ {
		window[hotp(key, uint64(s), 6)] = true
	}
	checked := 0
	for _, off := range []int64{-10, -3, -2, 2, 3, 10} {
		code := hotp(key, uint64(nowStep+off), 6)
		if window[code] {
			continue // the same digits happen to be valid in the window too
		}
		checked++
		if step, ok := VerifyTOTP(rfcSecret, code, now); ok {
			t.Errorf("code from step %+d accepted as step %d", off, step)
		}
	}
	if checked == 0 {
		t.Fatal("no out-of-window code was checked")
	}
}

func TestVerifyTOTPToleratesSpaces(t *testing.T) {
	now := time.Unix(59, 0)
	for _, code := range []string{"287082", "287 082", " 287082 ", "2 8 7 0 8 2", "287\t082", "287\u00a0082"} {
		if _, ok := VerifyTOTP(rfcSecret, code, now); !ok {
			t.Errorf("VerifyTOTP(%q) rejected", code)
		}
	}
}

func TestVerifyTOTPRejectsMalformedCodes(t *testing.T) {
	now := time.Unix(59, 0)
	for _, code := range []string{
		"", "      ", "28708", "2870820", "94287082", "287-082", "28708a", "+28708",
		"２８７０８２", // full-width digits
		"287082\x00",
	} {
		if _, ok := VerifyTOTP(rfcSecret, code, now); ok {
			t.Errorf("VerifyTOTP(%q) accepted", code)
		}
	}
}

func TestVerifyTOTPReturnsStepForReplayChecks(t *testing.T) {
	now := time.Unix(1_234_567_890, 0)
	code, err := TOTPCode(rfcSecret, now)
	if err != nil {
		t.Fatal(err)
	}
	first, ok := VerifyTOTP(rfcSecret, code, now)
	if !ok {
		t.Fatal("rejected")
	}
	// The same code ten seconds later is still valid; only the step lets
	// the caller see that it has been used.
	again, ok := VerifyTOTP(rfcSecret, code, now.Add(10*time.Second))
	if !ok || again != first {
		t.Fatalf("replayed code gave step %d, %v; want %d, true so the caller can refuse it", again, ok, first)
	}
}

// When the same digits are valid for two steps in the window, the latest
// step must be returned: a caller that stored the earlier one would accept
// the same code again a minute later. The steps below were found by search
// for the RFC key.
func TestVerifyTOTPReturnsLatestMatchingStep(t *testing.T) {
	key := []byte(rfcKey)
	tests := []struct {
		name       string
		now        int64 // time step of "now"
		code       string
		wantLatest int64
	}{
		{"steps either side", 153568, "468457", 153569},
		{"current and next", 910737, "911617", 910738},
		{"previous and current", 910738, "911617", 910738},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			matches := 0
			for s := tt.now - 1; s <= tt.now+1; s++ {
				if hotp(key, uint64(s), 6) == tt.code {
					matches++
				}
			}
			if matches != 2 {
				t.Fatalf("test data wrong: %s matches %d steps around %d", tt.code, matches, tt.now)
			}
			step, ok := VerifyTOTP(rfcSecret, tt.code, time.Unix(tt.now*30+7, 0))
			if !ok || step != tt.wantLatest {
				t.Fatalf("VerifyTOTP = %d, %v; want %d, true", step, ok, tt.wantLatest)
			}
		})
	}
}

func TestTOTPSecretForms(t *testing.T) {
	now := time.Unix(59, 0)
	for _, secret := range []string{
		rfcSecret,
		strings.ToLower(rfcSecret),
		"GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
		rfcSecret + "====",
	} {
		code, err := TOTPCode(secret, now)
		if err != nil || code != "287082" {
			t.Errorf("TOTPCode(%q) = %q, %v; want 287082", secret, code, err)
		}
	}
}

func TestTOTPMalformedSecret(t *testing.T) {
	now := time.Unix(59, 0)
	for _, secret := range []string{
		"",
		"not base32!",
		"GEZDGNBVGY3TQOJ1", // 1 is not in the base32 alphabet
		"GEZDGNBV",         // 5 bytes, far too short
		base32.StdEncoding.EncodeToString(make([]byte, 15)),
		rfcSecret[:30], // truncated to a length base32 cannot produce
		rfcSecret + "\x00",
	} {
		_, err := TOTPCode(secret, now)
		if !errors.Is(err, ErrMalformedTOTPSecret) {
			t.Errorf("TOTPCode(%q) err = %v, want ErrMalformedTOTPSecret", secret, err)
		}
		if _, ok := VerifyTOTP(secret, "287082", now); ok {
			t.Errorf("VerifyTOTP with secret %q accepted", secret)
		}
	}
}

func TestTOTPBefore1970(t *testing.T) {
	if _, err := TOTPCode(rfcSecret, time.Unix(-1, 0)); err == nil {
		t.Error("TOTPCode before 1970 gave no error")
	}
	// At step 0 the window reaches back to step -1, which must be skipped.
	code := hotp([]byte(rfcKey), 0, 6)
	if step, ok := VerifyTOTP(rfcSecret, code, time.Unix(5, 0)); !ok || step != 0 {
		t.Errorf("VerifyTOTP at step 0 = %d, %v", step, ok)
	}
	if _, ok := VerifyTOTP(rfcSecret, code, time.Unix(-100, 0)); ok {
		t.Error("VerifyTOTP accepted a code long before 1970")
	}
}

func TestNewTOTPSecret(t *testing.T) {
	re := regexp.MustCompile(`^[A-Z2-7]{32}$`)
	seen := make(map[string]bool)
	for range 100 {
		s := NewTOTPSecret()
		if !re.MatchString(s) {
			t.Fatalf("secret %q is not 32 upper-case base32 characters without padding", s)
		}
		key, err := decodeTOTPSecret(s)
		if err != nil || len(key) != 20 {
			t.Fatalf("secret %q decodes to %d bytes, %v", s, len(key), err)
		}
		if seen[s] {
			t.Fatalf("secret %q repeated", s)
		}
		seen[s] = true
		code, err := TOTPCode(s, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := VerifyTOTP(s, code, time.Now()); !ok {
			t.Fatal("fresh secret's current code rejected")
		}
	}
}

func TestTOTPURI(t *testing.T) {
	got := TOTPURI("Alongside", "sam@example.org", "JBSWY3DPEHPK3PXP")
	want := "otpauth://totp/Alongside:sam%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=Alongside&algorithm=SHA1&digits=6&period=30"
	if got != want {
		t.Errorf("TOTPURI =\n%s\nwant\n%s", got, want)
	}
}

func TestTOTPURIEscaping(t *testing.T) {
	issuer := "Alongside Recovery & Co"
	account := "Zoë O'Brien+test@example.org"
	got := TOTPURI(issuer, account, "jbsw y3dp ehpk 3pxp")
	want := "otpauth://totp/Alongside%20Recovery%20%26%20Co:Zo%C3%AB%20O%27Brien%2Btest%40example.org" +
		"?secret=JBSWY3DPEHPK3PXP&issuer=Alongside%20Recovery%20%26%20Co&algorithm=SHA1&digits=6&period=30"
	if got != want {
		t.Errorf("TOTPURI =\n%s\nwant\n%s", got, want)
	}
	if strings.ContainsAny(got, " +") {
		t.Errorf("URI %q contains a space or plus sign", got)
	}
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		t.Errorf("scheme %q host %q", u.Scheme, u.Host)
	}
	if u.Path != "/"+issuer+":"+account {
		t.Errorf("label decodes to %q", u.Path)
	}
	q := u.Query()
	if q.Get("issuer") != issuer || q.Get("secret") != "JBSWY3DPEHPK3PXP" ||
		q.Get("algorithm") != "SHA1" || q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("query decodes to %v", q)
	}

	// A colon inside a name is escaped so that the label's own separator
	// stays the only literal colon.
	c := TOTPURI("A:B", "c:d", "JBSWY3DPEHPK3PXP")
	if label := strings.TrimPrefix(strings.SplitN(c, "?", 2)[0], "otpauth://totp/"); strings.Count(label, ":") != 1 {
		t.Errorf("label %q has more than one literal colon", label)
	}
}

func TestTOTPURIWithoutIssuer(t *testing.T) {
	got := TOTPURI("", "sam", "JBSWY3DPEHPK3PXP")
	want := "otpauth://totp/sam?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30"
	if got != want {
		t.Errorf("TOTPURI = %s, want %s", got, want)
	}
}
