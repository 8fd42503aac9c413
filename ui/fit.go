package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// frameParts is a frame under its header: the step's own lines, the notice
// and the help line, each ending where the next begins.
type frameParts struct{ body, notice, help string }

// lineKind is what a frame's line is, for fitHeight to choose which go.
type lineKind int

// In the order fitHeight takes lines out.
const (
	lineBlank  lineKind = iota
	lineProse           // the step's text, from the top
	lineHead            // the header, from the top
	lineHelp            // the keys, from the top
	lineNotice          // what just happened, from its end: its start stays
	lineKeep            // the token, the URL, the field, the code: last
)

// fitHeight keeps a frame within the window: an inline frame taller than the
// window is redrawn over and over, flooding the scrollback. Lines go by
// kind: blank lines, then prose, the header, the keys and the notice's end;
// what the step is for (keep, lines of the body) goes last.
func (m *wizard) fitHeight(head string, p frameParts, keep []string) string {
	body := p.body + p.notice + p.help
	headLines, bodyLines := strings.Count(head, "\n")+1, strings.Count(body, "\n")+1
	excess := headLines + 1 + bodyLines - (m.height - 1) // the gap under the header; the final newline takes a row
	if m.height <= 0 || excess <= 0 {
		return head + "\n\n" + body
	}
	type line struct {
		text string
		kind lineKind
		gone bool
	}
	var lines []line
	for l := range strings.SplitSeq(head, "\n") {
		lines = append(lines, line{text: l, kind: lineHead})
	}
	lines = append(lines, line{kind: lineBlank})
	kept := keptRanges(p.body, keep)
	at := 0 // the offset in body of the line's start
	for l := range strings.SplitSeq(body, "\n") {
		kind := lineProse
		switch {
		case strings.TrimSpace(ansi.Strip(l)) == "":
			kind = lineBlank
		case at >= len(p.body)+len(p.notice):
			kind = lineHelp
		case at >= len(p.body):
			kind = lineNotice
		case kept(at):
			kind = lineKeep
		}
		lines = append(lines, line{text: l, kind: kind})
		at += len(l) + 1
	}
	for kind := lineBlank; kind <= lineKeep && excess > 0; kind++ {
		fromEnd := kind >= lineNotice
		for i := range lines {
			j := i
			if fromEnd {
				j = len(lines) - 1 - i
			}
			if excess > 0 && lines[j].kind == kind {
				lines[j].gone = true
				excess--
			}
		}
	}
	var out []string
	for _, l := range lines {
		if !l.gone {
			out = append(out, l.text)
		}
	}
	return strings.Join(out, "\n")
}

// keptRanges reports, for an offset in body, whether it falls in one of the
// keep texts, found in body in their order.
func keptRanges(body string, keep []string) func(int) bool {
	var spans [][2]int
	from := 0
	for _, k := range keep {
		i := strings.Index(body[from:], k)
		if k == "" || i < 0 {
			continue
		}
		spans = append(spans, [2]int{from + i, from + i + len(k)})
		from += i + len(k)
	}
	return func(at int) bool {
		for _, s := range spans {
			if at >= s[0] && at < s[1] {
				return true
			}
		}
		return false
	}
}
