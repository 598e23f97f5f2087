package auth

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestHashPasswordRoundTrip(t *testing.T) {
	const pw = "correct horse battery staple"
	h, err := HashPassword(TestParams, pw)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !re.MatchString(h) {
		t.Fatalf("hash %q is not a PHC argon2id string with TestParams", h)
	}
	if ok, err := VerifyPassword(h, pw); err != nil || !ok {
		t.Fatalf("VerifyPassword(right password) = %v, %v; want true, nil", ok, err)
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple", pw + " ", pw + "\x00"} {
		if ok, err := VerifyPassword(h, wrong); err != nil || ok {
			t.Errorf("VerifyPassword(%q) = %v, %v; want false, nil", wrong, ok, err)
		}
	}
}

func TestHashPasswordSaltsDiffer(t *testing.T) {
	a, err := HashPassword(TestParams, "same password here")
	if err != nil {
		t.Fatal(err)
	}
	b, err := HashPassword(TestParams, "same password here")
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("two hashes of the same password are identical; salt is not random")
	}
}

func TestHashPasswordDefaultParams(t *testing.T) {
	if testing.Short() {
		t.Skip("DefaultParams cost 64 MiB and about a tenth of a second")
	}
	h, err := HashPassword(DefaultParams, "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=4$") {
		t.Fatalf("hash %q does not record the RFC 9106 settings", h)
	}
	if ok, err := VerifyPassword(h, "a long enough password"); err != nil || !ok {
		t.Fatalf("VerifyPassword = %v, %v", ok, err)
	}
}

func TestDefaultParamsAreRFC9106SecondOption(t *testing.T) {
	want := Params{Memory: 65536, Time: 3, Threads: 4, KeyLen: 32, SaltLen: 16}
	if DefaultParams != want {
		t.Fatalf("DefaultParams = %+v, want %+v", DefaultParams, want)
	}
	if err := DefaultParams.validate(); err != nil {
		t.Fatal(err)
	}
	if err := TestParams.validate(); err != nil {
		t.Fatal(err)
	}
}

// Hashes produced by the argon2 reference implementation's command-line
// tool (Debian package argon2), so compatibility is checked against code
// other than golang.org/x/crypto, with settings that differ from ours.
func TestVerifyPasswordReferenceVectors(t *testing.T) {
	tests := []struct {
		encoded, password string
	}{
		// echo -n "correct horse battery staple" | argon2 somesalt0123456 -id -t 2 -k 1024 -p 2 -l 32 -e
		{"$argon2id$v=19$m=1024,t=2,p=2$c29tZXNhbHQwMTIzNDU2$iW11RowHar8p05CbSyuBOt4UHwnWpWkU9mFTUvr2cLk", "correct horse battery staple"},
		// echo -n "password" | argon2 somesalt -id -t 2 -k 256 -p 1 -l 24 -e
		{"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$79CPBBtFLAJe3yMqiKHvf7zwXFiecLBi", "password"},
		// echo -n "pässwörd 🙂" | argon2 saltsaltsaltsalt -id -t 1 -k 64 -p 1 -l 16 -e
		{"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$iNEyBP6xaGlJXTO+08S9Tw", "pässwörd 🙂"},
	}
	for _, tt := range tests {
		ok, err := VerifyPassword(tt.encoded, tt.password)
		if err != nil || !ok {
			t.Errorf("VerifyPassword(%q, %q) = %v, %v; want true, nil", tt.encoded, tt.password, ok, err)
		}
		ok, err = VerifyPassword(tt.encoded, tt.password+"x")
		if err != nil || ok {
			t.Errorf("VerifyPassword(%q, wrong) = %v, %v; want false, nil", tt.encoded, ok, err)
		}
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	const (
		salt = "c29tZXNhbHQwMTIzNDU2"                        // 16 bytes
		hash = "iW11RowHar8p05CbSyuBOt4UHwnWpWkU9mFTUvr2cLk" // 32 bytes
	)
	valid := "$argon2id$v=19$m=1024,t=2,p=2$" + salt + "$" + hash
	if _, err := VerifyPassword(valid, "x"); err != nil {
		t.Fatalf("baseline hash rejected: %v", err)
	}
	tests := []struct {
		name, encoded string
		want          error
	}{
		{"empty", "", ErrMalformedHash},
		{"dollar", "$", ErrMalformedHash},
		{"plain text", "hunter2", ErrMalformedHash},
		{"no leading dollar", "argon2id$v=19$m=1024,t=2,p=2$" + salt + "$" + hash, ErrMalformedHash},
		{"missing hash", "$argon2id$v=19$m=1024,t=2,p=2$" + salt, ErrMalformedHash},
		{"missing version", "$argon2id$m=1024,t=2,p=2$" + salt + "$" + hash, ErrMalformedHash},
		{"extra field", valid + "$", ErrMalformedHash},
		{"trailing space", valid + " ", ErrMalformedHash},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", ErrMalformedHash},
		{"argon2i", "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG", ErrUnsupportedHash},
		{"argon2d", "$argon2d$v=19$m=1024,t=2,p=2$" + salt + "$" + hash, ErrUnsupportedHash},
		{"old version", "$argon2id$v=16$m=1024,t=2,p=2$" + salt + "$" + hash, ErrUnsupportedHash},
		{"bad version", "$argon2id$v=x$m=1024,t=2,p=2$" + salt + "$" + hash, ErrMalformedHash},
		{"signed version", "$argon2id$v=+19$m=1024,t=2,p=2$" + salt + "$" + hash, ErrMalformedHash},
		{"params out of order", "$argon2id$v=19$t=2,m=1024,p=2$" + salt + "$" + hash, ErrMalformedHash},
		{"missing param", "$argon2id$v=19$m=1024,t=2$" + salt + "$" + hash, ErrMalformedHash},
		{"extra param", "$argon2id$v=19$m=1024,t=2,p=2,k=1$" + salt + "$" + hash, ErrMalformedHash},
		{"empty param", "$argon2id$v=19$m=,t=2,p=2$" + salt + "$" + hash, ErrMalformedHash},
		{"negative param", "$argon2id$v=19$m=-1024,t=2,p=2$" + salt + "$" + hash, ErrMalformedHash},
		{"hex param", "$argon2id$v=19$m=0x400,t=2,p=2$" + salt + "$" + hash, ErrMalformedHash},
		{"memory overflows uint32", "$argon2id$v=19$m=4294967296,t=2,p=2$" + salt + "$" + hash, ErrMalformedHash},
		{"threads overflow uint8", "$argon2id$v=19$m=1024,t=2,p=256$" + salt + "$" + hash, ErrMalformedHash},
		{"zero time", "$argon2id$v=19$m=1024,t=0,p=2$" + salt + "$" + hash, ErrInvalidParams},
		{"zero threads", "$argon2id$v=19$m=1024,t=2,p=0$" + salt + "$" + hash, ErrInvalidParams},
		{"memory below 8 per lane", "$argon2id$v=19$m=15,t=2,p=2$" + salt + "$" + hash, ErrInvalidParams},
		{"enormous memory", "$argon2id$v=19$m=4294967295,t=2,p=2$" + salt + "$" + hash, ErrInvalidParams},
		{"enormous time", "$argon2id$v=19$m=1024,t=4294967295,p=2$" + salt + "$" + hash, ErrInvalidParams},
		{"short salt", "$argon2id$v=19$m=1024,t=2,p=2$c2FsdA$" + hash, ErrInvalidParams},
		{"short hash", "$argon2id$v=19$m=1024,t=2,p=2$" + salt + "$iW11RowHar8", ErrInvalidParams},
		{"empty hash", "$argon2id$v=19$m=1024,t=2,p=2$" + salt + "$", ErrInvalidParams},
		{"padded salt", "$argon2id$v=19$m=1024,t=2,p=2$c29tZXNhbHQ=$" + hash, ErrMalformedHash},
		{"url base64", "$argon2id$v=19$m=1024,t=2,p=2$" + salt + "$" + hash[:5] + "-" + hash[6:], ErrMalformedHash},
		{"non-canonical base64", "$argon2id$v=19$m=1024,t=2,p=2$" + salt + "$" + hash[:len(hash)-1] + "l", ErrMalformedHash},
		{"newline in salt", "$argon2id$v=19$m=1024,t=2,p=2$c29tZXNh\nbHQwMTIzNDU2$" + hash, ErrMalformedHash},
		{"newline in hash", "$argon2id$v=19$m=1024,t=2,p=2$" + salt + "$" + hash[:10] + "\r\n" + hash[10:], ErrMalformedHash},
		{"huge input", "$argon2id$v=19$m=1024,t=2,p=2$" + strings.Repeat("A", 10000) + "$" + hash, ErrMalformedHash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := VerifyPassword(tt.encoded, "correct horse battery staple")
			if ok {
				t.Fatal("malformed hash verified")
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if strings.Contains(err.Error(), salt) || strings.Contains(err.Error(), hash) {
				t.Fatalf("error %q leaks hash material", err)
			}
		})
	}
}

func FuzzVerifyPassword(f *testing.F) {
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$iNEyBP6xaGlJXTO+08S9Tw", "pässwörd 🙂")
	f.Add("$argon2id$v=19$m=1024,t=2,p=2$c29tZXNhbHQwMTIzNDU2$iW11RowHar8p05CbSyuBOt4UHwnWpWkU9mFTUvr2cLk", "x")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$$", "")
	f.Add("$$$$$", "")
	f.Fuzz(func(t *testing.T, encoded, password string) {
		// Valid but costly settings are not what this fuzzer is after;
		// skipping them keeps the fuzzer fast.
		if p, _, _, err := decodeHash(encoded); err == nil && uint64(p.Memory)*uint64(p.Time) > 1<<16 {
			t.Skip()
		}
		ok, err := VerifyPassword(encoded, password)
		if ok && err != nil {
			t.Fatal("ok with an error")
		}
	})
}

func TestHashPasswordRejectsBadParams(t *testing.T) {
	tests := []Params{
		{},
		{Memory: 64, Time: 0, Threads: 1, KeyLen: 32, SaltLen: 16},
		{Memory: 64, Time: 1, Threads: 0, KeyLen: 32, SaltLen: 16},
		{Memory: 7, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16},
		{Memory: 64, Time: 1, Threads: 9, KeyLen: 32, SaltLen: 16},
		{Memory: maxMemoryKiB + 1, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16},
		{Memory: 64, Time: maxTime + 1, Threads: 1, KeyLen: 32, SaltLen: 16},
		{Memory: 64, Time: 1, Threads: 1, KeyLen: 8, SaltLen: 16},
		{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 4},
		{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: maxSaltLen + 1},
	}
	for _, p := range tests {
		h, err := HashPassword(p, "a perfectly good password")
		if !errors.Is(err, ErrInvalidParams) || h != "" {
			t.Errorf("HashPassword(%+v) = %q, %v; want ErrInvalidParams", p, h, err)
		}
	}
}

func TestNeedsRehash(t *testing.T) {
	h, err := HashPassword(TestParams, "a perfectly good password")
	if err != nil {
		t.Fatal(err)
	}
	if NeedsRehash(h, TestParams) {
		t.Error("hash made with TestParams needs rehash for TestParams")
	}
	if !NeedsRehash(h, DefaultParams) {
		t.Error("hash made with TestParams does not need rehash for DefaultParams")
	}
	longer := TestParams
	longer.KeyLen = 64
	if !NeedsRehash(h, longer) {
		t.Error("a change of key length is not noticed")
	}
	if !NeedsRehash("garbage", TestParams) {
		t.Error("unparseable hash does not need rehash")
	}
}

func TestDummyHashUsesGivenParams(t *testing.T) {
	p := Params{Memory: 2048, Time: 2, Threads: 2, KeyLen: 32, SaltLen: 16}
	got, _, _, err := decodeHash(dummyHash(p))
	if err != nil {
		t.Fatal(err)
	}
	if got != p {
		t.Fatalf("dummy hash has %+v, want %+v", got, p)
	}
	got, _, _, err = decodeHash(dummyHash(Params{}))
	if err != nil {
		t.Fatal(err)
	}
	if got != DefaultParams {
		t.Fatalf("dummy hash for invalid params has %+v, want DefaultParams", got)
	}
}

// EqualiseTiming exists so that an unknown account costs as long as a known
// one. TestDummyHashUsesGivenParams checks it does the same work; these
// benchmarks show the two side by side (speed belongs in benchmarks, not in
// timed unit tests): go test ./auth -bench Timing -run '^$'
func BenchmarkTimingVerifyPassword(b *testing.B) {
	p := Params{Memory: 8 * 1024, Time: 3, Threads: 1, KeyLen: 32, SaltLen: 16}
	h, err := HashPassword(p, "the real password")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_, _ = VerifyPassword(h, "a wrong password")
	}
}

func BenchmarkTimingEqualiseTiming(b *testing.B) {
	p := Params{Memory: 8 * 1024, Time: 3, Threads: 1, KeyLen: 32, SaltLen: 16}
	for b.Loop() {
		EqualiseTiming(p, "a wrong password")
	}
}

func TestEqualiseTimingInvalidParamsDoesNotPanic(t *testing.T) {
	if testing.Short() {
		t.Skip("falls back to DefaultParams, 64 MiB")
	}
	EqualiseTiming(Params{}, "anything")
}

func TestCheckPasswordPolicy(t *testing.T) {
	tests := []struct {
		name, pw string
		want     error
	}{
		{"empty", "", ErrPasswordBlank},
		{"one space", " ", ErrPasswordBlank},
		{"ten spaces", strings.Repeat(" ", 10), ErrPasswordBlank},
		{"mixed whitespace", " \t\n\r\u00a0\u3000          ", ErrPasswordBlank},
		{"too short", "short", ErrPasswordTooShort},
		{"nine", "123456789", ErrPasswordTooShort},
		{"nine emoji", strings.Repeat("🙂", 9), ErrPasswordTooShort},
		{"ten", "1234567890", nil},
		{"ten accented", strings.Repeat("é", 10), nil},
		{"phrase", "correct horse battery staple", nil},
		{"surrounding spaces", "  spaces around me  ", nil},
		{"only lower case", "abcdefghijkl", nil},
		{"200 bytes", strings.Repeat("a", 200), nil},
		{"201 bytes", strings.Repeat("a", 201), ErrPasswordTooLong},
		{"100 two-byte", strings.Repeat("é", 100), nil},
		{"101 two-byte", strings.Repeat("é", 101), ErrPasswordTooLong},
		{"huge", strings.Repeat("x", 1<<20), ErrPasswordTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckPasswordPolicy(tt.pw); err != tt.want {
				t.Fatalf("CheckPasswordPolicy = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestPasswordPolicyMessagesAreForPeople(t *testing.T) {
	if !strings.Contains(ErrPasswordTooShort.Error(), "10") || MinPasswordChars != 10 {
		t.Error("too-short message does not match MinPasswordChars")
	}
	if !strings.Contains(ErrPasswordTooLong.Error(), "200") || MaxPasswordBytes != 200 {
		t.Error("too-long message does not match MaxPasswordBytes")
	}
	for _, err := range []error{ErrPasswordBlank, ErrPasswordTooShort, ErrPasswordTooLong} {
		msg := err.Error()
		if strings.HasPrefix(msg, "auth:") || !strings.HasPrefix(msg, "Please") || !strings.HasSuffix(msg, ".") {
			t.Errorf("message %q is not written to be shown to a person", msg)
		}
	}
}

func TestPasswordInDecomposedFormMatchesComposed(t *testing.T) {
	composed, decomposed := "café au lait s\u00e9ance", "café au lait se\u0301ance"
	composed = strings.ReplaceAll(composed, "é", "\u00e9")
	decomposed = strings.ReplaceAll(decomposed, "é", "e\u0301")
	h, err := HashPassword(TestParams, composed)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := VerifyPassword(h, decomposed); !ok {
		t.Fatal("a password typed with combining accents does not match the same password set with accented letters")
	}
	h, _ = HashPassword(TestParams, decomposed)
	if ok, _ := VerifyPassword(h, composed); !ok {
		t.Fatal("and the other way round")
	}
}

func TestCheckPasswordSaysWhenToRehash(t *testing.T) {
	old := TestParams
	old.Time = 2
	h, _ := HashPassword(old, "a long enough password")
	if ok, rehash, _ := CheckPassword(h, "a long enough password", TestParams); !ok || !rehash {
		t.Fatalf("hash with old settings: ok=%v rehash=%v", ok, rehash)
	}
	if ok, rehash, _ := CheckPassword(h, "a wrong password", TestParams); ok || rehash {
		t.Fatalf("wrong password: ok=%v rehash=%v", ok, rehash)
	}
	current, _ := HashPassword(TestParams, "a long enough password")
	if ok, rehash, _ := CheckPassword(current, "a long enough password", TestParams); !ok || rehash {
		t.Fatalf("current hash: ok=%v rehash=%v", ok, rehash)
	}
}
