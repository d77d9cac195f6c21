import { BookingForm } from "./booking-form";
import { Counter } from "./counter";

export default function Home() {
  return (
    <>
      <h1>My Private Tutor Online (fixture)</h1>
      <Counter />
      <BookingForm />
    </>
  );
}
