// An animation player on a canvas, with a play/pause button: the morph view's walk.
//
//   const player = animationPlayer(canvas, button);
//   player.show(decodeGif(bytes));     // frames from gif.js; plays unless paused
//
// It starts paused on the first frame when the visitor asks for reduced motion (and pauses if
// they ask while it plays); otherwise it plays until paused (WCAG 2.2.2: anything that moves
// for over five seconds can be paused). A pause holds through later walks until Play.
// The canvas says what it shows in data-frame (the index) for tests and tools.

const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

export function animationPlayer(canvas, button) {
  const context = canvas.getContext("2d");
  let animation = null; // {width, height, frames}
  let index = 0;
  let playing = !reducedMotion.matches;
  let timer = null;

  function draw() {
    const { width, height, frames } = animation;
    context.putImageData(new ImageData(frames[index].pixels, width, height), 0, 0);
    canvas.dataset.frame = String(index);
  }

  function schedule() {
    clearTimeout(timer);
    timer = null;
    if (!playing || !animation || animation.frames.length < 2) return;
    timer = setTimeout(() => {
      index = (index + 1) % animation.frames.length;
      draw();
      schedule();
    }, animation.frames[index].delay);
  }

  function setPlaying(wanted) {
    playing = wanted;
    button.textContent = playing ? "Pause" : "Play";
    schedule();
  }

  button.addEventListener("click", () => setPlaying(!playing));
  reducedMotion.addEventListener("change", () => {
    if (reducedMotion.matches) setPlaying(false);
  });
  setPlaying(playing);

  return {
    /** Show a new animation from its first frame. */
    show(decoded) {
      animation = decoded;
      index = 0;
      canvas.width = decoded.width;
      canvas.height = decoded.height;
      draw();
      canvas.hidden = false;
      button.hidden = decoded.frames.length < 2;
      schedule();
    },
    /** Stop and hide (an error replaced the walk). */
    hide() {
      animation = null;
      clearTimeout(timer);
      canvas.hidden = true;
      button.hidden = true;
      delete canvas.dataset.frame;
    },
  };
}
