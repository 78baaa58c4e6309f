// Package cli is the accord command: it reads flags and environment into a
// typed configuration, wires the store, reference data, importers and web
// server together, and runs one subcommand. It is the only package that
// knows about all the others.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/auth"
)

// Version is set at build time with -ldflags "-X github.com/nhs-accord/accord/cli.Version=…".
var Version = "dev"

// errUsage marks a mistake in the command line itself.
var errUsage = errors.New("usage")

// usageError is a command-line mistake: it exits 2, like flag's own errors.
type usageError struct{ msg string }

func (e usageError) Error() string   { return e.msg }
func (e usageError) Is(t error) bool { return t == errUsage }

// ExitCode maps an error from Run to a process exit status: 2 for a bad
// command line or bad input, 1 for anything else.
func ExitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), accord.ErrorCode(err) == accord.EINVALID:
		return 2
	}
	return 1
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what every subcommand gets: where to write, and the process
// environment as a lookup so tests can supply their own.
type env struct {
	stdin          io.Reader // nil: the process's standard input
	stdout, stderr io.Writer
	getenv         func(string) string
	// ready, when set, is told the address a server listens on (tests use
	// port 0 and need the real one).
	ready func(addr string)
}

func commands() []command {
	return []command{
		{"serve", "run the web service and JSON API", runServe},
		{"demo", "load real sample data into a local database and serve it", runDemo},
		{"migrate", "bring the database schema up to date and load the reference data", runMigrate},
		{"import", "import published statistics files and local returns", runImport},
		{"imports", "list imports, or roll one back", runImports},
		{"audit", "verify or list the append-only audit log", runAudit},
		{"user", "add users, grant roles, disable users, issue API tokens", runUser},
		{"template", "write an empty local-return template for some indicators", runTemplate},
		{"gen", "generate national-scale files in the published layouts, for benchmarks", runGen},
		{"stats", "compute one statistic (SPC, intervals, …) from JSON on standard input", runStats},
		{"version", "print the version", runVersion},
	}
}

// Run runs the accord command line. It never exits the process.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return run(ctx, args, &env{stdout: stdout, stderr: stderr, getenv: os.Getenv})
}

func run(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			return run(ctx, []string{args[1], "--help"}, e)
		}
		printUsage(e.stdout)
		if len(args) == 0 {
			return usageError{"no command given"}
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, e, args[1:])
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
	}
	return usageError{fmt.Sprintf("unknown command %q: run `accord help` to see the commands", args[0])}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Accord: local targets in line with national priorities, tracked against real NHS statistics.")
	fmt.Fprintln(w, "\nUsage: accord COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `accord COMMAND --help` for a command's flags.")
}

// newFlagSet makes a flag set that reports errors as usage errors and prints
// help to stdout (help asked for is not an error).
func newFlagSet(e *env, name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: accord %s %s\n\n%s\n\nFlags:\n", name, synopsis, about)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parse parses flags, turning flag's errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
		return err
	}
	if err != nil {
		return usageError{fmt.Sprintf("%s: %v (see `accord %s --help`)", fs.Name(), err, fs.Name())}
	}
	return nil
}

// Config is the typed configuration shared by the subcommands.
type Config struct {
	DB        string // SQLite path or postgres:// URL
	Addr      string
	LogLevel  slog.Level
	LogFormat string // text or json

	// How people sign in to `serve` (see signInFlags in serve.go); the
	// demo leaves them off, as it runs on plain HTTP with no provider.
	SecureCookies bool
	OIDC          auth.OIDCConfig

	levelText string // as given, checked by validate so env and flag get the same check
}

const defaultDB = "accord.db"

// dbFlags registers the configuration flags, defaulting from ACCORD_*
// environment variables.
func dbFlags(fs *flag.FlagSet, e *env, cfg *Config) {
	cfg.DB = envOr(e, "ACCORD_DB", defaultDB)
	fs.StringVar(&cfg.DB, "db", cfg.DB, "SQLite database file, or a postgres:// URL (env ACCORD_DB)")
}

func serverFlags(fs *flag.FlagSet, e *env, cfg *Config, defaultAddr string) {
	cfg.Addr = envOr(e, "ACCORD_ADDR", defaultAddr)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "HOST:PORT to listen on (env ACCORD_ADDR)")
	cfg.LogFormat = envOr(e, "ACCORD_LOG_FORMAT", "text")
	fs.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "log format: text or json (env ACCORD_LOG_FORMAT)")
	cfg.levelText = envOr(e, "ACCORD_LOG_LEVEL", "info")
	fs.StringVar(&cfg.levelText, "log-level", cfg.levelText, "log level: debug, info, warn or error (env ACCORD_LOG_LEVEL)")
}

func (c *Config) validate() error {
	if c.levelText != "" {
		if err := c.LogLevel.UnmarshalText([]byte(c.levelText)); err != nil {
			return usageError{fmt.Sprintf("log level %q: use debug, info, warn or error", c.levelText)}
		}
	}
	if c.LogFormat != "" && c.LogFormat != "text" && c.LogFormat != "json" {
		return usageError{fmt.Sprintf("log format %q: use text or json", c.LogFormat)}
	}
	if strings.TrimSpace(c.DB) == "" {
		return usageError{"--db is empty: give a SQLite file path or a postgres:// URL"}
	}
	return nil
}

func envOr(e *env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

func (c *Config) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "version", "", "Print the version of accord.")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "accord %s\n", versionString())
	return nil
}

func versionString() string {
	v := Version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		v += " " + info.GoVersion
	}
	return v
}
