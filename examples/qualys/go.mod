module example.com/secops

go 1.22
