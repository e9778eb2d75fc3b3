package app

import (
	"encoding/json"
	"net/http"
	"testing"

	"communekiosk/city"
)

// The citizen's one-tap answer is counted on the kiosk for the day, sent
// with the heartbeat, and shows in the city's report for the commune.
func TestSatisfactionReachesTheReport(t *testing.T) {
	srv, cityURL := newTestCity(t)
	n, _ := newTestNode(t, false)
	enrolNode(t, n, srv, cityURL)
	for _, a := range []string{"very_satisfied", "very_satisfied", "not_satisfied"} {
		if err := n.Requests.Rate(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := n.Requests.Rate("excellent"); asError(err).Code != CodeBadInput {
		t.Fatalf("unknown answer: %v", err)
	}
	// Twice: the second heartbeat repeats the day's tally, which must not
	// count twice.
	for range 2 {
		if _, err := n.sync.current().RunOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	req, _ := http.NewRequest("GET", cityURL+"/v1/operator/report?month=2026-11", nil)
	req.Header.Set("Authorization", "Bearer test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rep city.Report
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil || resp.StatusCode != 200 {
		t.Fatalf("report: %d %v", resp.StatusCode, err)
	}
	for _, c := range rep.Communes {
		if c.Commune != "00004" {
			if c.Satisfaction.Responses != 0 {
				t.Errorf("%s has answers: %+v", c.Commune, c.Satisfaction)
			}
			continue
		}
		if s := c.Satisfaction; s.Responses != 3 || s.VerySatisfied != 2 || s.NotSatisfied != 1 {
			t.Errorf("Ba Đình %+v", s)
		}
	}
}
