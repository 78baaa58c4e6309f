// Command accord runs Accord: the web service, the demo, migrations and
// imports. All behaviour lives in package cli so tests can run it in-process.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/nhs-accord/accord/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "accord:", err)
		os.Exit(cli.ExitCode(err))
	}
}
