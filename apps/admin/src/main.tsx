import { mount } from "@wedsync/ui/mount";
import { App } from "./App";
import "./admin.css";

mount(App);
