"use client";
import { useState } from "react";

/** Hydration probe: the button only counts once React has hydrated the page. */
export function Counter() {
  const [count, setCount] = useState(0);
  return (
    <button id="counter" type="button" onClick={() => setCount((c) => c + 1)}>
      Clicked {count} times
    </button>
  );
}
