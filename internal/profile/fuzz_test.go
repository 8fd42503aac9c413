package profile

import (
	"reflect"
	"testing"
)

// FuzzParseSettings: whatever the file holds, parsing never panics, and a
// file that parses still parses, with the same settings, after nestauth
// rewrites or removes any profile in it.
func FuzzParseSettings(f *testing.F) {
	for _, seed := range []string{
		"",
		"# c\n[profile a]\nprovider = sdm\nclient_id = x\nfoo = bar\n\n; next\n[profile b]\nprovider = nest\n",
		"[profile a]\r\nprovider = custom\r\ntoken_url = http://127.0.0.1:1/t\r\nauth_params = a=b&c=%20\r\n",
		"\uFEFF[profile a]\nprovider = sdm\npkce = false\nsecrets = file\nscopes = a b\n",
		"[profile a]\nprovider = x\n",
		"[profile a]\n[profile b]\nprovider=sdm\n",
		"key = outside\n",
		"[profile a]\nprovider = sdm\nclient_id = a\nclient_id = b\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sf, err := parseSettings("p", b)
		if err != nil {
			return
		}
		for _, sec := range sf.sections {
			if sec.err != nil {
				continue
			}
			again, err := parseSettings("p", sf.bytes())
			if err != nil {
				t.Fatalf("reparse: %v", err)
			}
			again.put(sec.name, sec.settings)
			if sec.settings.validate() != nil {
				continue // hand-written values nestauth would not write, such as a padded one
			}
			after, err := parseSettings("p", again.bytes())
			if err != nil {
				t.Fatalf("after put(%s): %v\n%s", sec.name, err, again.bytes())
			}
			got := after.find(sec.name)
			if got == nil || got.err != nil || !reflect.DeepEqual(got.settings, sec.settings) {
				t.Fatalf("put(%s) then parse = %+v, want %+v\n%s", sec.name, got, sec.settings, again.bytes())
			}
			for _, other := range sf.sections {
				if o := after.find(other.name); o == nil {
					t.Fatalf("put(%s) lost profile %s", sec.name, other.name)
				}
			}
			after.remove(sec.name)
			gone, err := parseSettings("p", after.bytes())
			if err != nil || gone.find(sec.name) != nil || len(gone.sections) != len(sf.sections)-1 {
				t.Fatalf("remove(%s): %v\n%s", sec.name, err, after.bytes())
			}
		}
	})
}
