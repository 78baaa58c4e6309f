package accord

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Each adapter maps them to its own vocabulary (HTTP status,
// exit code) in exactly one place.
const (
	EINVALID  = "invalid"   // the caller's input breaks a rule
	ENOTFOUND = "not_found" // the thing named does not exist
	ECONFLICT = "conflict"  // the input clashes with what is stored
	ESCHEMA   = "schema"    // the database schema is not the one this binary expects
	EINTERNAL = "internal"  // our fault; details are logged, never shown
)

// FieldError says which field of an input is wrong and why, so that a form,
// an API client or an importer can point at the exact place.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (f FieldError) String() string {
	if f.Field == "" {
		return f.Message
	}
	return f.Field + ": " + f.Message
}

// Error is Accord's one error type. Message is safe to show to users.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	if e.Message == "" {
		return strings.Join(parts, "; ")
	}
	return e.Message + ": " + strings.Join(parts, "; ")
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err: the message of an
// *Error, or a fixed text for anything else so that internal detail never
// reaches a user.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "Internal error."
}

// Problems collects field errors during validation.
type Problems []FieldError

// Add records a problem with field.
func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when there are no problems, or an EINVALID *Error that
// lists them, prefixed by what (for example "organisation QHG").
func (p Problems) Err(what string) error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: what, Fields: append([]FieldError(nil), p...)}
}
