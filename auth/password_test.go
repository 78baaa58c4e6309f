package auth

import (
	"os"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

// TestMain lowers the argon2 cost so the tests stay fast under -race; the
// encoding and checking are the same at any cost, and one test below
// hashes at the real cost.
func TestMain(m *testing.M) {
	params = Params{Memory: 64, Time: 1, Threads: 1}
	os.Exit(m.Run())
}

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") || strings.Count(h, "$") != 5 {
		t.Errorf("encoding: %s", h)
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
		if ok, err := CheckPassword(h, pw); err != nil || ok != want {
			t.Errorf("check %q: %v %v, want %v", pw, ok, err, want)
		}
	}
	h2, _ := HashPassword("correct horse battery")
	if h2 == h {
		t.Error("two hashes of one password are alike: the salt is not random")
	}
}

func TestPasswordDefaultCost(t *testing.T) {
	saved := params
	params = Params{Memory: 64 * 1024, Time: 3, Threads: 4}
	defer func() { params = saved }()
	h, err := HashPassword("a long enough passphrase")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=4$") {
		t.Fatalf("%s %v", h, err)
	}
	if ok, err := CheckPassword(h, "a long enough passphrase"); !ok || err != nil {
		t.Errorf("check: %v %v", ok, err)
	}
}

func TestPasswordTooShort(t *testing.T) {
	_, err := HashPassword("elevenchars")
	if accord.ErrorCode(err) != accord.EINVALID || !strings.Contains(err.Error(), "password: must be at least 12 characters long (this one has 11)") {
		t.Errorf("short password: %v", err)
	}
	// Characters, not bytes: twelve accented letters are enough.
	if _, err := HashPassword(strings.Repeat("é", 12)); err != nil {
		t.Errorf("12 characters: %v", err)
	}
}

func TestPasswordCheckBadHash(t *testing.T) {
	if ok, err := CheckPassword("", "anything at all"); ok || err != nil {
		t.Errorf("no password: %v %v", ok, err)
	}
	for _, h := range []string{
		"plain",
		"$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA",
	} {
		if ok, err := CheckPassword(h, "whatever password"); ok || err == nil {
			t.Errorf("%s: %v %v, want an error", h, ok, err)
		}
	}
}

func TestToken(t *testing.T) {
	tok, hash := NewToken()
	if len(tok) != 43 || strings.ContainsAny(tok, "+/=") {
		t.Errorf("token %q is not 32 bytes of base64url", tok)
	}
	if len(hash) != 64 || hash != HashToken(tok) || hash == tok {
		t.Errorf("hash %q", hash)
	}
	if tok2, _ := NewToken(); tok2 == tok {
		t.Error("two tokens alike")
	}
}
