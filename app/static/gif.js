// A GIF decoder: the frames of an animated GIF as full RGBA pictures, with their delays.
//
//   const { width, height, frames } = decodeGif(new Uint8Array(await blob.arrayBuffer()));
//   context.putImageData(new ImageData(frames[3].pixels, width, height), 0, 0);
//
// An <img> plays a GIF but cannot pause it, and browsers give scripts no frames of their own
// (ImageDecoder is missing in Safari and needs HTTPS), so the morph view decodes the walk
// here and draws it itself. It handles what GIF89a allows: global and local colour tables,
// transparency, interlacing, frames smaller than the picture and the three disposals.
// Delays under 20 ms count as 100 ms, as browsers show them.

/** Decode `bytes` (a Uint8Array); throws an Error for a file that is not a GIF or is cut short. */
export function decodeGif(bytes) {
  const reader = byteReader(bytes);
  const signature = String.fromCharCode(...reader.bytes(6));
  if (signature !== "GIF87a" && signature !== "GIF89a") throw new Error("not a GIF");
  const width = reader.u16();
  const height = reader.u16();
  const packed = reader.byte();
  reader.skip(2); // background colour index, aspect ratio
  const globalColours = packed & 0x80 ? reader.bytes(3 << ((packed & 7) + 1)) : null;
  const canvas = new Uint8ClampedArray(width * height * 4); // what is shown, frame after frame
  const frames = [];
  let control = { disposal: 0, delay: 0, transparent: -1 };
  for (;;) {
    const block = reader.byte();
    if (block === 0x3b) break; // trailer
    if (block === 0x21) {
      const label = reader.byte();
      const data = reader.subBlocks();
      if (label === 0xf9 && data.length >= 4) {
        control = {
          disposal: (data[0] >> 2) & 7,
          delay: (data[1] | (data[2] << 8)) * 10,
          transparent: data[0] & 1 ? data[3] : -1,
        };
      }
    } else if (block === 0x2c) {
      const frame = readFrame(reader, globalColours);
      const before = control.disposal === 3 ? canvas.slice() : null;
      paint(canvas, width, height, frame, control.transparent);
      frames.push({ pixels: canvas.slice(), delay: control.delay < 20 ? 100 : control.delay });
      if (control.disposal === 2) clear(canvas, width, height, frame);
      else if (before) canvas.set(before);
      control = { disposal: 0, delay: 0, transparent: -1 };
    } else {
      throw new Error(`not a GIF block: 0x${block.toString(16)}`);
    }
  }
  return { width, height, frames };
}

function readFrame(reader, globalColours) {
  const left = reader.u16();
  const top = reader.u16();
  const width = reader.u16();
  const height = reader.u16();
  const packed = reader.byte();
  const colours = packed & 0x80 ? reader.bytes(3 << ((packed & 7) + 1)) : globalColours;
  if (!colours) throw new Error("a GIF frame without colours");
  const codeSize = reader.byte();
  let indices = lzwDecode(codeSize, reader.subBlocks(), width * height);
  if (packed & 0x40) indices = deinterlace(indices, width, height);
  return { left, top, width, height, colours, indices };
}

/** Draw a frame's opaque pixels over `canvas`, clipped to the picture. */
function paint(canvas, width, height, frame, transparent) {
  for (let y = 0; y < frame.height; y++) {
    const row = frame.top + y;
    if (row >= height) break;
    for (let x = 0; x < frame.width; x++) {
      const column = frame.left + x;
      const index = frame.indices[y * frame.width + x];
      if (column >= width || index === transparent) continue;
      const at = (row * width + column) * 4;
      canvas[at] = frame.colours[index * 3];
      canvas[at + 1] = frame.colours[index * 3 + 1];
      canvas[at + 2] = frame.colours[index * 3 + 2];
      canvas[at + 3] = 255;
    }
  }
}

/** Disposal 2: the frame's rectangle goes back to transparent (what browsers do). */
function clear(canvas, width, height, frame) {
  for (let y = frame.top; y < Math.min(height, frame.top + frame.height); y++) {
    const from = (y * width + frame.left) * 4;
    canvas.fill(0, from, from + Math.max(0, Math.min(frame.width, width - frame.left)) * 4);
  }
}

/** Rows of an interlaced frame (every 8th from 0, every 8th from 4, every 4th from 2, odd rows) in order. */
function deinterlace(indices, width, height) {
  const rows = new Uint8Array(indices.length);
  let source = 0;
  for (const [first, step] of [[0, 8], [4, 8], [2, 4], [1, 2]]) {
    for (let y = first; y < height; y += step, source++) {
      rows.set(indices.subarray(source * width, (source + 1) * width), y * width);
    }
  }
  return rows;
}

/** GIF's variable-width LZW: `count` colour indices from the image data (missing ones stay 0). */
function lzwDecode(minimumSize, data, count) {
  const clearCode = 1 << minimumSize;
  const endCode = clearCode + 1;
  const prefix = new Int16Array(4096); // each code: the code it extends (-1 for one index),
  const suffix = new Uint8Array(4096); // the index it adds,
  const first = new Uint8Array(4096); // the first index of its string,
  const length = new Uint16Array(4096); // and the string's length
  for (let code = 0; code < clearCode; code++) {
    prefix[code] = -1;
    suffix[code] = first[code] = code;
    length[code] = 1;
  }
  const out = new Uint8Array(count);
  let size = minimumSize + 1;
  let next = endCode + 1;
  let previous = -1;
  let written = 0;
  let bits = 0;
  let buffer = 0;
  for (let i = 0; i < data.length && written < count; i++) {
    buffer |= data[i] << bits;
    bits += 8;
    while (bits >= size && written < count) {
      const code = buffer & ((1 << size) - 1);
      buffer >>>= size;
      bits -= size;
      if (code === clearCode) {
        size = minimumSize + 1;
        next = endCode + 1;
        previous = -1;
        continue;
      }
      if (code === endCode) return out;
      if (code > next || (code === next && previous < 0)) throw new Error("a damaged GIF frame");
      // A new string: the previous one and the first index of this one (of itself when this
      // code is the one being defined, the KwKwK case).
      if (previous >= 0 && next < 4096) {
        prefix[next] = previous;
        suffix[next] = code === next ? first[previous] : first[code];
        first[next] = first[previous];
        length[next] = length[previous] + 1;
        next++;
        if (next === 1 << size && size < 12) size++;
      }
      let at = written + length[code] - 1;
      for (let walk = code; walk >= 0; walk = prefix[walk], at--) if (at < count) out[at] = suffix[walk];
      written += length[code];
      previous = code;
    }
  }
  return out;
}

function byteReader(bytes) {
  let at = 0;
  const need = (n) => {
    if (at + n > bytes.length) throw new Error("a GIF cut short");
  };
  return {
    byte() {
      need(1);
      return bytes[at++];
    },
    u16() {
      need(2);
      at += 2;
      return bytes[at - 2] | (bytes[at - 1] << 8);
    },
    bytes(n) {
      need(n);
      at += n;
      return bytes.subarray(at - n, at);
    },
    skip(n) {
      need(n);
      at += n;
    },
    /** A run of sub-blocks (a length byte, then that many bytes, up to a 0), joined. */
    subBlocks() {
      const parts = [];
      let total = 0;
      for (let size = this.byte(); size > 0; size = this.byte()) {
        parts.push(this.bytes(size));
        total += size;
      }
      const joined = new Uint8Array(total);
      let offset = 0;
      for (const part of parts) {
        joined.set(part, offset);
        offset += part.length;
      }
      return joined;
    },
  };
}
