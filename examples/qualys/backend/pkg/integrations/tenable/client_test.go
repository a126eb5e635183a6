package tenable

import (
	"net/http"
	"testing"
)

func TestAuthorizeSetsAPIKeys(t *testing.T) {
	request, _ := http.NewRequest(http.MethodGet, "https://cloud.tenable.com/scans", nil)
	NewClient("a", "s").authorize(request)
	if got := request.Header.Get("X-ApiKeys"); got != "accessKey=a;secretKey=s" {
		t.Errorf("X-ApiKeys = %q", got)
	}
}
