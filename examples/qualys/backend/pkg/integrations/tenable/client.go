// Package tenable talks to the Tenable.io API.
package tenable

import "net/http"

// Client calls the Tenable.io API with API keys.
type Client struct {
	BaseURL   string
	AccessKey string
	SecretKey string
	HTTP      *http.Client
}

// NewClient returns a client for Tenable.io.
func NewClient(accessKey, secretKey string) *Client {
	return &Client{BaseURL: "https://cloud.tenable.com", AccessKey: accessKey, SecretKey: secretKey, HTTP: http.DefaultClient}
}

// authorize adds the API keys to a request.
func (c *Client) authorize(request *http.Request) {
	request.Header.Set("X-ApiKeys", "accessKey="+c.AccessKey+";secretKey="+c.SecretKey)
}
