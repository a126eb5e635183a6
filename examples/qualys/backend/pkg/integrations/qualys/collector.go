package qualys

import (
	"context"
	"fmt"
)

// Finding is one vulnerability detection on one host.
type Finding struct {
	HostID   string
	QID      int
	Severity int
}

// Collector pulls host detections from Qualys.
type Collector struct {
	Client *Client
}

// Collect returns the current detections.
func (c *Collector) Collect(ctx context.Context) ([]Finding, error) {
	response, err := c.Client.Get(ctx, "/api/2.0/fo/asset/host/vm/detection/?action=list")
	if err != nil {
		return nil, err
	}
	defer response.Body.Close()
	if response.StatusCode != 200 {
		return nil, fmt.Errorf("qualys: detections: status %d", response.StatusCode)
	}
	// TODO: parse the XML detection list.
	return nil, nil
}
