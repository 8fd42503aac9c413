package ui

// frame keeps the parts of a frame that a keystroke does not change, each
// with what it was rendered from. A resize or a restyle drops them all.
type frame struct {
	header memo[headerKey, frameHead]
	intro  memo[introKey, string]
	url    memo[string, string]
	help   memo[helpKey, string]
}

// frameHead is a frame's header: the app and provider, then the step.
type frameHead struct{ app, step string }

type headerKey struct {
	step     step
	provider int
	steps    int // the flow's length, which the Custom path's answers change
	settled  bool
}

// introKey is what a text step's intro depends on.
type introKey struct {
	step     step
	provider string
}

type helpKey struct {
	step         step
	provider     int
	exchanging   bool
	refreshToken bool
	tokenMode    int  // tokenActions.helpMode
	device       int  // the device step's phase
	fileOffer    bool // f saves to the secrets file
	saving       bool // esc gives up the save that runs
}

// memo is one rendered part and the key it was rendered for.
type memo[K comparable, V any] struct {
	key  K
	text V
	ok   bool
}

// get returns the part for key, rendering it only when the key changed.
func (c *memo[K, V]) get(key K, render func() V) V {
	if !c.ok || c.key != key {
		c.key, c.text, c.ok = key, render(), true
	}
	return c.text
}
