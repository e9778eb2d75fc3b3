package city

import "communekiosk/kiosk"

// catalogue is the catalogue in force at the city.
func (s *Server) catalogue() *kiosk.Catalogue { return s.cat }
