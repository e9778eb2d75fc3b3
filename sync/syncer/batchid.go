package syncer

import "github.com/google/uuid"

// newBatchID names a push batch for the city's logs.
func newBatchID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString()
	}
	return id.String()
}
