import { RouterProvider } from "@tanstack/react-router";
import { mount } from "@wedsync/ui/mount";
import "./app.css";
import { router } from "./router";

mount(() => <RouterProvider router={router} />);
