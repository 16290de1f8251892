module avi-k8s/testimages

go 1.24
