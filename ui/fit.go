package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// frameParts is a frame under its header, in the order shown: the step's
// own lines, the question or prompt open on it, older results, the notice
// and the help line, each ending where the next begins.
type frameParts struct {
	body, ask, results, notice, help string
	// asking: a question or prompt is open, and help holds its keys.
	asking bool
}

// lineKind is what a frame's line is, for fitHeight to choose which go.
type lineKind int

const (
	lineBlank   lineKind = iota
	lineResults          // what an earlier action found
	lineProse            // the step's text
	lineNotice           // what just happened
	lineApp              // the header's first part: the app and provider
	lineStep             // the header's step
	lineHelp             // the keys
	lineKeep             // the token, the URL, the field, an open question: never
)

// dropOrder is the order in which fitHeight takes lines out: a blank line
// alone, any other with its unit (a paragraph of text, the notice, the
// help), from the top. What answered the last key goes last: the newest of
// an open question, the notice, a result. What is older goes first.
func dropOrder(p frameParts) []lineKind {
	switch {
	case p.asking:
		return []lineKind{lineBlank, lineResults, lineNotice, lineProse, lineApp, lineStep}
	case p.notice != "":
		return []lineKind{lineBlank, lineResults, lineProse, lineApp, lineStep, lineHelp, lineNotice}
	}
	return []lineKind{lineBlank, lineProse, lineApp, lineStep, lineHelp, lineResults}
}

// hiddenName names what a kind of line held, for the note that says what
// is hidden.
var hiddenName = map[lineKind]string{
	lineResults: "result",
	lineProse:   "text",
	lineNotice:  "message",
	lineApp:     "header",
	lineStep:    "header",
	lineHelp:    "keys",
}

// fitHeight keeps a frame within the window: an inline frame taller than the
// window is redrawn over and over, flooding the scrollback. Blank lines go
// first, then whole units by kind (dropOrder). What the step is for (keep,
// lines of the body) and an open question with its keys stay. A note on
// the last line says what is hidden.
func (m *wizard) fitHeight(head frameHead, p frameParts, keep []string) string {
	body := p.body + p.ask + p.results + p.notice + p.help
	rows := m.height - 1 // the final newline takes a row
	if m.height <= 0 || countLines(head.app)+countLines(head.step)+1+countLines(body) <= rows {
		return head.app + "\n" + head.step + "\n\n" + body
	}
	type line struct {
		text string
		kind lineKind
		unit int // lines of one unit go together
		gone bool
	}
	var lines []line
	unit := 0
	add := func(text string, kind lineKind) {
		if strings.TrimSpace(ansi.Strip(text)) == "" {
			text, kind = "", lineBlank
		}
		if n := len(lines); kind == lineBlank || n == 0 || lines[n-1].kind != kind {
			unit++
		}
		lines = append(lines, line{text: text, kind: kind, unit: unit})
	}
	for l := range strings.SplitSeq(head.app, "\n") {
		add(l, lineApp)
	}
	for l := range strings.SplitSeq(head.step, "\n") {
		add(l, lineStep)
	}
	add("", lineBlank)
	kept := keptRanges(p.body, keep)
	helpKind := lineHelp
	if p.asking {
		helpKind = lineKeep
	}
	bounds := []struct {
		end  int
		kind lineKind
	}{
		{len(p.body), lineProse},
		{len(p.body) + len(p.ask), lineKeep},
		{len(p.body) + len(p.ask) + len(p.results), lineResults},
		{len(p.body) + len(p.ask) + len(p.results) + len(p.notice), lineNotice},
		{len(body) + 1, helpKind},
	}
	at := 0 // the offset in body of the line's start
	for l := range strings.SplitSeq(body, "\n") {
		kind := lineHelp
		for _, b := range bounds {
			if at < b.end {
				kind = b.kind
				break
			}
		}
		if kind == lineProse && kept(at) {
			kind = lineKeep
		}
		add(l, kind)
		at += len(l) + 1
	}

	// shown is the frame as it stands, a blank line never twice in a row,
	// with the note that says what is hidden.
	var hidden []string
	shown := func() []string {
		var out []string
		for _, l := range lines {
			switch {
			case l.gone:
			case l.kind == lineBlank && (len(out) == 0 || out[len(out)-1] == ""):
			default:
				out = append(out, l.text)
			}
		}
		if len(hidden) > 0 { // on the last line when it fits there
			note := "(hidden: " + strings.Join(hidden, ", ") + ")"
			for short := hidden; len(note) > m.width && len(short) > 1; { // the last named are the latest to go
				short = short[1:]
				note = "(hidden: …, " + strings.Join(short, ", ") + ")"
			}
			if n := len(out); n > 0 && out[n-1] != "" && ansi.StringWidth(out[n-1])+3+len(note) <= m.width {
				out[n-1] += m.styles.Faint.Render(" · " + note)
			} else {
				out = append(out, strings.Split(m.styles.Faint.Render(m.wrap(note)), "\n")...)
			}
		}
		return out
	}
	hide := func(name string) {
		if name != "" && !slices.Contains(hidden, name) {
			hidden = append(hidden, name)
		}
	}
	order := dropOrder(p)
	for n, kind := range order {
		if n == len(order)-1 && (kind == lineNotice || kind == lineResults) {
			// The answer to the last key: its start stays, its end goes.
			for i := len(lines) - 1; i >= 0 && len(shown()) > rows; i-- {
				if lines[i].kind == kind && !lines[i].gone {
					lines[i].gone = true
					hide(hiddenName[kind] + "'s end")
				}
			}
			continue
		}
		for i := range lines {
			if lines[i].kind != kind || lines[i].gone {
				continue
			}
			if len(shown()) <= rows {
				break
			}
			for j := range lines { // a blank line alone; anything else with its unit
				if lines[j].unit == lines[i].unit {
					lines[j].gone = true
				}
			}
			hide(hiddenName[kind])
		}
	}
	out := shown()
	if len(out) > rows { // what must stay is taller than the window: its end stays
		out = out[len(out)-max(rows, 1):]
	}
	return strings.Join(out, "\n")
}

func countLines(s string) int { return strings.Count(s, "\n") + 1 }

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
