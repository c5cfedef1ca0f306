import { mount } from "@wedsync/ui/mount";
import { queryClient, trpcClient } from "./lib/clients";
import { router } from "./router";
import "./admin.css";

mount(router, { queryClient, trpcClient });
