package quiz

// Channels say how an attempt reached the tracker. Residents' own phones are the web
// channel (the zero value); paper sheets and assisted entry are typed in by staff.
const (
	ChannelWeb      = "web"
	ChannelPaper    = "paper"    // a printed sheet the resident filled in, entered later
	ChannelAssisted = "assisted" // an officer entered it with the resident present
	// ChannelSample is a random sample's sheet: graded like the others but kept in the
	// sample's own items, never an attempt, so never in the open quiz's counters.
	ChannelSample = "sample"
)

// Channels are the report groups of groupBy=channel, in report order.
var Channels = []string{ChannelWeb, ChannelPaper, ChannelAssisted}

// ChannelGroupKeys are the counter groups an attempt of channel adds to: only the staff
// channels, so the web's share is the total less them and resident attempts write no
// extra counter attribute.
func ChannelGroupKeys(channel string) []string {
	switch channel {
	case ChannelPaper, ChannelAssisted:
		return []string{"channel:" + channel}
	}
	return nil
}
