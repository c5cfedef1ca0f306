import "@wedsync/ui/test-setup";
