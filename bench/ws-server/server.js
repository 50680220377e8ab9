'use strict';
// The reference the benchmark measures wschat against: a minimal Node.js server on ws 8 with
// the part of wschat's contract the load generator uses (docs/PROTOCOL.md), done the way a
// careful ws user would: each broadcast is encoded once, a client with more than 1 MB waiting
// is closed as a slow consumer (4000), presence events name the member who changed, not the
// whole room. No history store: messages get a sequence number and a timestamp in memory.
//
//   node server.js PORT
//
//   /echo                 every text frame M is answered with "got your message: M"
//   /chat?room=R&name=N   welcome, then presence joined/left and message events to the room

const http = require('node:http');
const crypto = require('node:crypto');
const { WebSocketServer } = require('ws');

const MAX_PAYLOAD = 64 * 1024;
const BUFFER_LIMIT = 1024 * 1024;
const HISTORY_ON_JOIN = 50;
const MEMBERS_IN_WELCOME = 100;

const port = Number(process.argv[2] || 8090);
const rooms = new Map();

const server = http.createServer((req, res) => {
  res.writeHead(404).end();
});
const echo = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
const chat = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });

server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://localhost');
  const target = url.pathname === '/echo' ? echo : url.pathname === '/chat' ? chat : null;
  if (target === null) {
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, url));
});

echo.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      ws.send('got your message: ' + data.toString());
    }
  });
});

chat.on('connection', (ws, url) => {
  const name = url.searchParams.get('name') || 'guest';
  const roomName = url.searchParams.get('room') || 'lobby';
  const member = { id: crypto.randomUUID(), name };
  let room = rooms.get(roomName);
  if (room === undefined) {
    room = { name: roomName, members: new Map(), seq: 0, recent: [] };
    rooms.set(roomName, room);
  }
  room.members.set(ws, member);
  ws.send(JSON.stringify({
    type: 'welcome', id: member.id, name: member.name, room: room.name,
    members: Array.from(room.members.values()).slice(0, MEMBERS_IN_WELCOME),
    count: room.members.size,
    history: room.recent, lastSeq: room.seq, serverTime: Date.now(),
  }));
  broadcast(room, { type: 'presence', room: room.name, event: 'joined', member, count: room.members.size });

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      return;
    }
    const text = messageText(data.toString());
    if (text === null) {
      return;
    }
    room.seq += 1;
    const event = { type: 'message', room: room.name, seq: room.seq, fromId: member.id, from: member.name, text, ts: Date.now() };
    room.recent.push(event);
    if (room.recent.length > HISTORY_ON_JOIN) {
      room.recent.shift();
    }
    broadcast(room, event);
  });

  ws.on('close', () => {
    room.members.delete(ws);
    if (room.members.size === 0) {
      rooms.delete(room.name);
    } else {
      broadcast(room, { type: 'presence', room: room.name, event: 'left', member, count: room.members.size });
    }
  });
});

// Plain text is a chat message; a JSON object is a command, of which only "message" is served.
function messageText(frame) {
  if (!frame.trimStart().startsWith('{')) {
    return frame;
  }
  try {
    const command = JSON.parse(frame);
    return command.type === 'message' && typeof command.text === 'string' ? command.text : null;
  } catch {
    return null;
  }
}

function broadcast(room, event) {
  const frame = Buffer.from(JSON.stringify(event));
  for (const client of room.members.keys()) {
    if (client.bufferedAmount > BUFFER_LIMIT) {
      client.close(4000, 'slow consumer');
    } else if (client.readyState === client.OPEN) {
      client.send(frame, { binary: false });
    }
  }
}

server.listen(port, () => console.log(`ws ${require('ws/package.json').version} listening on ${port}`));
