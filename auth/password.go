// Package auth holds the secrets of signing in: password hashes (argon2id)
// and API bearer tokens. It knows nothing of storage; the store keeps only
// what these functions return.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/nhs-accord/accord"
)

// MinPasswordLength is the shortest password accepted, in characters: NCSC
// and OWASP favour length over composition rules, so there are no others.
const MinPasswordLength = 12

// maxPasswordLength bounds the work one hash may cost; a passphrase needs
// nowhere near it.
const maxPasswordLength = 1024

// Params are the argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// params is the cost of new hashes: RFC 9106's second recommended option
// (64 MiB, 3 passes, 4 lanes), above OWASP's floor for argon2id (19 MiB,
// 2 passes, 1 lane). About 50–100 ms a hash on a server core. Hashes keep
// their own parameters, so raising these later leaves old hashes working.
// Tests in this package lower it (see TestMain); nothing else changes it.
var params = Params{Memory: 64 * 1024, Time: 3, Threads: 4}

const (
	saltLen = 16
	keyLen  = 32
)

// HashPassword checks pw's length and returns its argon2id hash as a PHC
// string: $argon2id$v=19$m=65536,t=3,p=4$salt$hash (base64, no padding).
func HashPassword(pw string) (string, error) {
	if err := checkPassword(pw); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	p := params
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

func checkPassword(pw string) error {
	var p accord.Problems
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordLength:
		p.Add("password", "must be at least %d characters long (this one has %d); a few unrelated words make a good one", MinPasswordLength, n)
	case len(pw) > maxPasswordLength:
		p.Add("password", "must be at most %d bytes long", maxPasswordLength)
	}
	return p.Err("password")
}

// CheckPassword reports whether pw matches the encoded hash, comparing in
// constant time. An empty hash is an account with no password (it signs in
// another way): nothing matches it. A hash that cannot be read is an error.
func CheckPassword(encoded, pw string) (bool, error) {
	if encoded == "" {
		return false, nil
	}
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	if len(pw) > maxPasswordLength {
		return false, nil
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

func decodeHash(encoded string) (p Params, salt, key []byte, err error) {
	bad := func(why string) error { return fmt.Errorf("password hash: %s", why) }
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, bad("not an argon2id PHC string")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, bad("unsupported version " + parts[2])
	}
	var m, t, threads uint64
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, perr := strconv.ParseUint(v, 10, 32)
		if perr != nil {
			return p, nil, nil, bad("parameter " + kv)
		}
		switch k {
		case "m":
			m = n
		case "t":
			t = n
		case "p":
			threads = n
		default:
			return p, nil, nil, bad("parameter " + kv)
		}
	}
	// Bounds, so a corrupt hash cannot ask for gigabytes or hours.
	if m < 8 || m > 1<<20 || t < 1 || t > 16 || threads < 1 || threads > 64 || m < 8*threads {
		return p, nil, nil, bad("parameters out of range")
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, bad("salt")
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, bad("hash")
	}
	return Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(threads)}, salt, key, nil
}

// NewToken returns a new API bearer token, to be shown once, and the hash
// to store. The token is 32 random bytes, base64url without padding.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b) // never fails: crypto/rand panics rather than return short
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the hex SHA-256 of a bearer token, as stored. A fast hash is
// enough here: the token is 256 random bits, not a guessable password.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
