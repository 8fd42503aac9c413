package ui

// frame keeps the parts of a frame that a keystroke does not change, each
// with what it was rendered from. A resize or a restyle drops them all.
type frame struct {
	header memo[headerKey]
	intro  memo[step]
	url    memo[string]
	help   memo[helpKey]
}

type headerKey struct {
	step     step
	provider int
	steps    int // the flow's length, which the Custom path's answers change
	settled  bool
}

type helpKey struct {
	step         step
	provider     int
	exchanging   bool
	refreshToken bool
	tokenMode    int  // tokenActions.helpMode
	device       int  // the device step's phase
	fileOffer    bool // f saves to the secrets file
}

// memo is one rendered part and the key it was rendered for.
type memo[K comparable] struct {
	key  K
	text string
	ok   bool
}

// get returns the part for key, rendering it only when the key changed.
func (c *memo[K]) get(key K, render func() string) string {
	if !c.ok || c.key != key {
		c.key, c.text, c.ok = key, render(), true
	}
	return c.text
}
