"use client";
import { useActionState } from "react";
import { requestBooking } from "./actions";

export function BookingForm() {
  const [state, action, pending] = useActionState(requestBooking, { message: "" });
  return (
    <form action={action} id="booking">
      <input name="subject" defaultValue="Maths" aria-label="subject" />
      <button type="submit" id="book" disabled={pending}>Book</button>
      <output id="booking-result">{state.message}</output>
    </form>
  );
}
