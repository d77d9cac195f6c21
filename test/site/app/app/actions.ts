"use server";

export interface BookingState {
  message: string;
}

/** A Server Action: Next.js checks the request's Origin against the forwarded Host before running it. */
export async function requestBooking(_previous: BookingState, form: FormData): Promise<BookingState> {
  const subject = String(form.get("subject") ?? "").slice(0, 40);
  return { message: `Booking requested: ${subject}` };
}
