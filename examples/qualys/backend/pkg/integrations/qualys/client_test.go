package qualys

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestGetSendsBasicAuth(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, _, ok := r.BasicAuth(); !ok || user != "scanner" {
			t.Errorf("basic auth user = %q, want scanner", user)
		}
	}))
	defer server.Close()

	response, err := NewClient(server.URL, "scanner", "secret").Get(context.Background(), "/")
	if err != nil {
		t.Fatal(err)
	}
	response.Body.Close()
}
