import { mount } from "@wedsync/ui/mount";
import { App } from "./App";

mount(App);
