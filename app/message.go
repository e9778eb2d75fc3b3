package app

// Message is a sentence for people, sent by key: the UI words it from its
// catalogues (frontend/src/lib/i18n/vi.ts and en.ts, entry msg_<key>) with
// Params filled in ({name} placeholders). The keys are a stable set, listed
// with their parameters in docs/messages.md; app writes no Vietnamese of
// its own (internal/archtest's TestNoWordsOutsideCatalogues), and every key it sends has
// words (TestEveryMessageHasWords).
type Message struct {
	Key    string            `json:"key"`
	Params map[string]string `json:"params,omitempty"`
}

// msg is the message key with params given as name, value pairs.
func msg(key string, params ...string) Message {
	m := Message{Key: key}
	if len(params) > 0 {
		m.Params = make(map[string]string, len(params)/2)
		for i := 0; i+1 < len(params); i += 2 {
			m.Params[params[i]] = params[i+1]
		}
	}
	return m
}

// IsZero reports an absent message.
func (m Message) IsZero() bool { return m.Key == "" && len(m.Params) == 0 }
