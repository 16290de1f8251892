module avi-k8s.local/alb-sdk-probe

go 1.22

require github.com/vmware/alb-sdk v0.0.0-20250407104238-8f88209a8f1a

require github.com/golang/glog v0.0.0-20160126235308-23def4e6c14b // indirect
