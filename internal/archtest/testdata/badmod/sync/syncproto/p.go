package syncproto

import _ "github.com/google/uuid"
