package city_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"communekiosk/city"
)

// FuzzCheckPassword feeds arbitrary stored hashes to the PHC decoder: it
// never panics, never takes absurd costs from a hostile string (the
// decoder bounds them), and a string not of our form never matches.
func FuzzCheckPassword(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "office_phc.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(strings.TrimSpace(string(seed)), "password")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA", "")
	f.Add("$argon2i$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "x")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, phc, password string) {
		ok := city.CheckPassword(phc, password)
		if ok && !strings.HasPrefix(phc, "$argon2id$v=19$") {
			t.Fatalf("%q matched", phc)
		}
	})
}

func TestCheckPasswordBounds(t *testing.T) {
	good, err := city.HashPassword("correct horse", fastPasswords)
	if err != nil {
		t.Fatal(err)
	}
	if !city.CheckPassword(good, "correct horse") || city.CheckPassword(good, "correct horsf") {
		t.Fatal("the hash does not check")
	}
	for _, bad := range []string{
		strings.Replace(good, "m=64,", "m=99999999,", 1), // 95 GiB: refused, not attempted
		strings.Replace(good, "t=1,", "t=1000,", 1),
		strings.Replace(good, "$argon2id$", "$argon2i$", 1),
		good[:len(good)-10],
	} {
		if city.CheckPassword(bad, "correct horse") {
			t.Fatalf("%q matched", bad)
		}
	}
}

// FuzzOfficeAPIForm posts arbitrary JSON bodies to an action of the API:
// the answer is a 4xx or 2xx envelope, never a 5xx, and nothing outside
// the caller's scope moves.
func FuzzOfficeAPIForm(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "office_api_form.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"reason": 5}`))
	f.Add([]byte(`{"id": [1]}`))
	e := newEnv(f, func(o *city.Options) { o.Office.Password = fastPasswords })
	k := e.enrol("00004")
	id := k.submit(goodRequest())
	u, _ := e.user("lan", city.RoleOfficer, "00004")
	tok := e.apiToken(u)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, path := range []string{"/v1/office/dossiers/" + id + "/actions/supplement", "/v1/office/post", "/v1/office/users"} {
			req, _ := http.NewRequest("POST", e.http.URL+path, strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := e.http.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
		}
	})
}
