// Package qualys talks to the Qualys VMDR API.
package qualys

import (
	"context"
	"fmt"
	"net/http"
)

// Client calls the Qualys API with basic authentication.
type Client struct {
	BaseURL  string
	Username string
	Password string
	HTTP     *http.Client
}

// NewClient returns a client for the platform at baseURL.
func NewClient(baseURL, username, password string) *Client {
	return &Client{BaseURL: baseURL, Username: username, Password: password, HTTP: http.DefaultClient}
}

// Get requests path and returns the response; the caller closes its body.
func (c *Client) Get(ctx context.Context, path string) (*http.Response, error) {
	request, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+path, nil)
	if err != nil {
		return nil, err
	}
	request.SetBasicAuth(c.Username, c.Password)
	request.Header.Set("X-Requested-With", "secops")
	response, err := c.HTTP.Do(request)
	if err != nil {
		return nil, fmt.Errorf("qualys: GET %s: %w", path, err)
	}
	return response, nil
}
