package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"nestauth/auth"
	"nestauth/internal/output"

	"github.com/spf13/cobra"
)

// tokenSink is where a token goes and how it is written: --format, and
// --output (with --force) instead of stdout.
type tokenSink struct {
	format string // one of output.Formats
	path   string // --output; "" is stdout
	force  bool   // the file at path may be replaced
}

// defaults fills in the format: the wizard and token print the token alone,
// exchange, refresh and device the JSON; a file gets the JSON, as the
// wizard's w writes it.
func (s *tokenSink) defaults(c *command) {
	if s.format != "" {
		return
	}
	s.format = "json"
	if c.tokenAlone && s.path == "" {
		s.format = "token"
	}
}

// addFlags defines --format, --output and --force.
func (s *tokenSink) addFlags(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&s.format, "format", "", "what stdout gets: token, json, env or header")
	fs.StringVar(&s.path, "output", "", "write the token to this file (mode 0600, json unless --format) instead of stdout")
	fs.BoolVar(&s.force, "force", false, "let --output replace an existing file")
	complete(cmd, "format", output.Formats...)
}

// check refuses, before anything is sent, a format nestauth cannot write and
// a file it would not write: no code must be spent on a token that then has
// nowhere to go.
func (s tokenSink) check() error {
	if !slices.Contains(output.Formats, s.format) {
		return fmt.Errorf("--format must be json, token, env or header, not %q", s.format)
	}
	if s.path == "" {
		if s.force {
			return errors.New("--force goes with --output PATH: it lets nestauth replace that file")
		}
		return nil
	}
	if fi, err := os.Lstat(s.path); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("--output %s is a directory: name a file", s.path)
		}
		if !s.force {
			return fmt.Errorf("--output %s exists: nestauth does not replace a file unless you add --force", s.path)
		}
	}
	// The file is made in its directory, next to it: try that now, at the
	// size an answer may have (an empty file fits on a full disk).
	probe, err := os.CreateTemp(filepath.Dir(s.path), ".nestauth-probe-*")
	if err != nil {
		return fmt.Errorf("--output %s cannot be written: %w", s.path, err)
	}
	defer os.Remove(probe.Name())
	_, err = probe.Write(make([]byte, answerRoom))
	if err == nil {
		err = probe.Sync()
	}
	if cerr := probe.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--output %s cannot take a token (%w): nothing was sent", s.path, err)
	}
	return nil
}

// answerRoom is the room a token needs where it is written: a token
// response with an ID token takes a few KiB; this leaves a margin.
const answerRoom = 64 << 10

// render is tok in the sink's format. A token the format cannot show (a
// header for a token that is not a Bearer token, a NUL in env) comes as
// JSON instead, and note says so: a token the server issued, with its code
// spent, is never lost to a format.
func (s tokenSink) render(tok *auth.Token) (b []byte, note string, err error) {
	text, err := output.Format(tok, s.format)
	if err == nil {
		return []byte(text), "", nil
	}
	if s.format == "json" || errors.Is(err, output.ErrUnknownFormat) {
		return nil, "", fmt.Errorf("--format %s: %w", s.format, err)
	}
	b, jerr := output.JSON(tok)
	if jerr != nil {
		return nil, "", fmt.Errorf("--format %s: %w", s.format, err)
	}
	return b, fmt.Sprintf("--format %s cannot show this token (%v), so it went to %s as JSON instead.", s.format, err, s.where()), nil
}

// fallbackNote is render's note for tok: why it went out as JSON, or "".
func (s tokenSink) fallbackNote(tok *auth.Token) string {
	_, note, _ := s.render(tok)
	return note
}

// put writes b to the file, or to stdout.
func (s tokenSink) put(b []byte, stdout io.Writer) error {
	if s.path != "" {
		return output.WriteFileAtomic(s.path, b, s.force)
	}
	_, err := stdout.Write(b)
	return err
}

// write puts tok in the file, or on stdout. Why it went out as JSON, if
// it did, is fallbackNote's to say: the wizard may have written it earlier.
func (s tokenSink) write(tok *auth.Token, stdout io.Writer) error {
	b, _, err := s.render(tok)
	if err != nil {
		return err
	}
	return s.put(b, stdout)
}

// retry is what a run again needs when the token could not be written
// where the sink says, for the advice after a failed write.
func (s tokenSink) retry() string {
	if s.path == "" {
		return "a stdout it can write"
	}
	return "an --output path it can write"
}

// where says where write puts the token, for messages.
func (s tokenSink) where() string {
	if s.path == "" {
		return "stdout"
	}
	return s.path
}

// plainSink is the sink as plain mode takes it (plain.Sink).
type plainSink struct{ s tokenSink }

func (p plainSink) Render(tok *auth.Token) ([]byte, string, error) { return p.s.render(tok) }

func (p plainSink) Write(tok *auth.Token, stdout io.Writer) error {
	return p.s.write(tok, stdout)
}

func (p plainSink) Where() string { return p.s.where() }
