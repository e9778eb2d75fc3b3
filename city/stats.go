package city

import "communekiosk/sync/syncproto"

// NewStats returns empty Stats ready for Add.
func NewStats() Stats {
	return Stats{ByStatus: map[syncproto.Status]int{}, ByCommune: map[string]int{}, ByService: map[string]int{}, Grid: map[string]map[string]int{}}
}

// Add counts one request. Stores that cannot aggregate in their query
// language use it.
func (s *Stats) Add(r Request) {
	s.Total++
	s.ByStatus[r.Status]++
	s.ByCommune[r.Commune]++
	s.ByService[r.Service]++
	if s.Grid[r.Commune] == nil {
		s.Grid[r.Commune] = map[string]int{}
	}
	s.Grid[r.Commune][r.Service]++
	switch r.Status {
	case syncproto.StatusDone:
		s.Successful++
	case syncproto.StatusRejected:
		s.Rejected++
	}
}

// Finish computes the rate.
func (s *Stats) Finish() {
	if n := s.Successful + s.Rejected; n > 0 {
		s.SuccessRate = float64(s.Successful) / float64(n)
	}
}
