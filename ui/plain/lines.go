package plain

// Reading stdin a line at a time, in the background.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"nestauth/ui/tty"
)

// errLineTooLong: a line over tty.MaxValue was dropped whole.
var errLineTooLong = fmt.Errorf("that line is over %d KiB, so nothing of it was taken", tty.MaxValue>>10)

// lineReader reads stdin one line at a time, on request, in the background:
// a redirect caught on loopback can then win over a code not yet typed.
type lineReader struct {
	tty     *os.File // stdin when it is a terminal: hidden reads turn its echo off
	buf     *bufio.Reader
	asks    chan bool // a read is wanted; true: without echo
	answers chan lineAnswer

	pending, pendingHidden bool // a read was asked for and not yet taken
}

type lineAnswer struct {
	text string
	err  error
}

func newLineReader(stdin io.Reader) *lineReader {
	r := &lineReader{tty: tty.In(stdin), buf: bufio.NewReader(stdin), asks: make(chan bool), answers: make(chan lineAnswer, 1)}
	go func() {
		for hidden := range r.asks {
			r.answers <- r.read(hidden)
		}
	}()
	return r
}

// request starts a read unless one is under way.
func (r *lineReader) request(hidden bool) {
	if !r.pending {
		r.pending, r.pendingHidden = true, hidden
		r.asks <- hidden
	}
}

// wait takes the answer to the read under way.
func (r *lineReader) wait() lineAnswer {
	a := <-r.answers
	r.pending = false
	return a
}

func (r *lineReader) close() { close(r.asks) }

// read reads one line: without echo from a terminal when hidden. A last
// line without a newline counts; after it, io.EOF.
func (r *lineReader) read(hidden bool) lineAnswer {
	if hidden && r.tty != nil {
		b, err := tty.ReadHidden(r.tty)
		return lineAnswer{tty.TrimValue(string(b)), err}
	}
	var line []byte
	tooLong := false
	for {
		chunk, err := r.buf.ReadSlice('\n')
		if len(line)+len(chunk) > tty.MaxValue {
			tooLong, line = true, nil
		} else if !tooLong {
			line = append(line, chunk...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case tooLong && (err == nil || errors.Is(err, io.EOF)):
			return lineAnswer{err: errLineTooLong}
		case errors.Is(err, io.EOF) && len(line) > 0:
			return lineAnswer{text: tty.TrimValue(string(line))}
		}
		return lineAnswer{tty.TrimValue(string(line)), err}
	}
}
